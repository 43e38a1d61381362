/**
 * How a node sends and receives datagrams (kindelia-node.md §6.1): one message per datagram,
 * no handshake, no session, no acknowledgement. Two implementations: UDP over IPv4
 * (`openUdpTransport`) and an in-process hub for tests (`MemoryNetwork`).
 */
import type { PeerAddress } from './messages.js';

export interface Transport {
  /** The address this transport receives on (what the node calls its own `addr`). */
  readonly localAddress: PeerAddress;
  /** Sends one datagram, best effort: it may be lost, and nothing says whether it arrived. */
  send(to: PeerAddress, bytes: Uint8Array): void;
  /** Registers a receiver; every datagram that arrives is passed to every handler, in order. */
  onDatagram(handler: (from: PeerAddress, bytes: Uint8Array) => void): void;
  /** Stops receiving and sending; sends after close are ignored. Idempotent. */
  close(): Promise<void>;
}
