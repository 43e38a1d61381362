/**
 * The UDP transport (kindelia-node.md §6.1): one IPv4 socket (node:dgram, `udp4`; IPv6 is
 * never used), bound to the first port of a list that binds (42000…42003 by default), one
 * message per datagram. Datagrams from non-IPv4 senders or longer than the 65 536-byte
 * receive buffer are never passed on.
 */
import dgram from 'node:dgram';
import { MAX_DATAGRAM_BYTES, isPeerAddress, parseIPv4 } from './messages.js';
import type { PeerAddress } from './messages.js';
import type { Transport } from './transport.js';

/** The ports the original tries, in order (§6.1). */
export const DEFAULT_UDP_PORTS: readonly number[] = [42_000, 42_001, 42_002, 42_003];

export interface UdpTransportOptions {
  /** The IPv4 address to bind; default `0.0.0.0` (every interface). Tests use `127.0.0.1`. */
  readonly host?: string;
  /** Exactly this port (0: any free port); when given, `ports` is not consulted. */
  readonly port?: number;
  /** The ports tried in order when `port` is absent; default 42000, 42001, 42002, 42003. */
  readonly ports?: readonly number[];
  /** Told of send failures and socket errors (UDP is best effort: they change nothing). */
  readonly onError?: (error: Error) => void;
}

export class UdpBindError extends Error {
  override readonly name = 'UdpBindError';
  constructor(readonly host: string, readonly ports: readonly number[], readonly causes: readonly Error[]) {
    super(
      `Could not open a UDP socket on ${host}: ${ports.length === 1 ? `port ${ports[0]}` : `none of the ports ${ports.join(', ')}`} could be bound` +
        (causes.length > 0 ? ` (${causes.map((c) => c.message).join('; ')})` : ''),
    );
  }
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`UDP port ${port} is not in 0…65535`);
}

function bindSocket(host: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    const fail = (error: Error): void => {
      try { socket.close(); } catch { /* never bound: nothing to release */ }
      reject(error);
    };
    socket.once('error', fail);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

class UdpTransport implements Transport {
  readonly localAddress: PeerAddress;
  private readonly handlers: Array<(from: PeerAddress, bytes: Uint8Array) => void> = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly socket: dgram.Socket, private readonly onError: ((error: Error) => void) | undefined) {
    const local = socket.address();
    this.localAddress = { host: local.address, port: local.port };
    socket.on('error', (error) => this.report(error));
    socket.on('message', (data, info) => {
      if (info.family !== 'IPv4' || data.length > MAX_DATAGRAM_BYTES) return;
      const from: PeerAddress = { host: info.address, port: info.port };
      const bytes = new Uint8Array(data); // a plain copy, independent of the socket's buffer
      for (const handler of this.handlers) handler(from, bytes);
    });
  }

  send(to: PeerAddress, bytes: Uint8Array): void {
    if (this.closing !== undefined) return;
    // Only numeric IPv4 destinations: no name lookups, no IPv6.
    if (!isPeerAddress(to) || to.port === 0) {
      this.report(new RangeError(`cannot send to '${to.host}:${to.port}': not an IPv4 address and non-zero port`));
      return;
    }
    try {
      this.socket.send(bytes, to.port, to.host, (error) => { if (error) this.report(error); });
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
    }
  }

  onDatagram(handler: (from: PeerAddress, bytes: Uint8Array) => void): void {
    this.handlers.push(handler);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      try { this.socket.close(() => resolve()); } catch { resolve(); }
    });
    return this.closing;
  }

  private report(error: Error): void {
    this.onError?.(error);
  }
}

/**
 * Binds a UDP socket: exactly `port` when given, else the first of `ports` that binds.
 * Rejects with a UdpBindError naming the ports when none binds.
 */
export async function openUdpTransport(options: UdpTransportOptions = {}): Promise<Transport> {
  const host = options.host ?? '0.0.0.0';
  if (parseIPv4(host) === undefined) throw new RangeError(`UDP host '${host}' is not a dotted IPv4 address`);
  const candidates = options.port !== undefined ? [options.port] : [...(options.ports ?? DEFAULT_UDP_PORTS)];
  if (candidates.length === 0) throw new RangeError('no UDP port to try');
  candidates.forEach(checkPort);
  const causes: Error[] = [];
  for (const port of candidates) {
    try {
      const socket = await bindSocket(host, port);
      return new UdpTransport(socket, options.onError);
    } catch (error) {
      causes.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  throw new UdpBindError(host, candidates, causes);
}
