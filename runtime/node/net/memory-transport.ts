/**
 * An in-process datagram network, so that tests run many nodes in one process. Delivery is
 * asynchronous (one `setImmediate` turn after the send, so timers and I/O still run between
 * turns even when nodes answer each other forever) and in send order, hence in order on every
 * link. Test controls: partitions, random loss, counters.
 */
import { MAX_DATAGRAM_BYTES, addressKey, isPeerAddress } from './messages.js';
import type { PeerAddress } from './messages.js';
import type { Transport } from './transport.js';

type Handler = (from: PeerAddress, bytes: Uint8Array) => void;

interface Datagram {
  readonly from: PeerAddress;
  readonly to: PeerAddress;
  readonly bytes: Uint8Array;
}

export interface MemoryNetworkCounters {
  /** Datagrams handed to `send` by an open transport. */
  readonly sent: number;
  /** Datagrams passed to the recipient's handlers. */
  readonly delivered: number;
  /** Datagrams lost: to nobody, across a partition, by random loss, oversize, or sent after close. */
  readonly dropped: number;
}

/** Addresses handed out by `connect()` without an address: 127.0.0.1 from this port up. */
const FIRST_AUTOMATIC_PORT = 42_000;

class MemoryTransport implements Transport {
  readonly handlers: Handler[] = [];
  closed = false;

  constructor(private readonly network: MemoryNetwork, readonly localAddress: PeerAddress) {}

  send(to: PeerAddress, bytes: Uint8Array): void {
    this.network.enqueue(this, to, bytes);
  }

  onDatagram(handler: Handler): void {
    this.handlers.push(handler);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.network.release(this);
    }
    return Promise.resolve();
  }
}

export class MemoryNetwork {
  private readonly holders = new Map<string, MemoryTransport>();
  private readonly blocked = new Set<string>();
  private queue: Datagram[] = [];
  private scheduled = false;
  private lossProbability = 0;
  private lossRandom: () => number = Math.random;
  private sentCount = 0;
  private deliveredCount = 0;
  private droppedCount = 0;

  /**
   * A transport at `address` (port 0: any free port on that host); without an address,
   * 127.0.0.1 at the first free port from 42000. Throws if the address is held already.
   */
  connect(address?: PeerAddress): Transport {
    const wanted = address ?? { host: '127.0.0.1', port: 0 };
    if (!isPeerAddress(wanted)) throw new RangeError(`'${addressKey(wanted)}' is not an IPv4 address and port`);
    let local = wanted;
    if (wanted.port === 0) {
      let port = FIRST_AUTOMATIC_PORT;
      while (this.holders.has(addressKey({ host: wanted.host, port }))) {
        port = port === 0xffff ? 1 : port + 1;
        if (port === FIRST_AUTOMATIC_PORT) throw new Error(`no free port left on ${wanted.host}`);
      }
      local = { host: wanted.host, port };
    }
    const key = addressKey(local);
    if (this.holders.has(key)) throw new Error(`address ${key} is already in use`);
    const transport = new MemoryTransport(this, { host: local.host, port: local.port });
    this.holders.set(key, transport);
    return transport;
  }

  /** Drops every datagram between a member of `groupA` and a member of `groupB`, both ways, until `heal()`. */
  partition(groupA: readonly PeerAddress[], groupB: readonly PeerAddress[]): void {
    for (const a of groupA) {
      for (const b of groupB) {
        this.blocked.add(linkKey(a, b));
        this.blocked.add(linkKey(b, a));
      }
    }
  }

  /** Removes every partition. */
  heal(): void {
    this.blocked.clear();
  }

  /** Each datagram sent from now on is lost with `probability` (decided by `random() < probability`). */
  setLoss(probability: number, random: () => number = Math.random): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`loss probability ${probability} is not in [0, 1]`);
    this.lossProbability = probability;
    this.lossRandom = random;
  }

  get sent(): number { return this.sentCount; }
  get delivered(): number { return this.deliveredCount; }
  get dropped(): number { return this.droppedCount; }

  counters(): MemoryNetworkCounters {
    return { sent: this.sentCount, delivered: this.deliveredCount, dropped: this.droppedCount };
  }

  /** Datagrams sent and not yet delivered or dropped. */
  get inFlight(): number {
    return this.queue.length;
  }

  /**
   * Resolves once nothing is in flight (deliveries may cause further sends, which are waited
   * for too); rejects after `maxTurns` delivery turns, for traffic that never stops.
   */
  async settle(maxTurns = 10_000): Promise<void> {
    for (let turn = 0; this.queue.length > 0 || this.scheduled; turn++) {
      if (turn >= maxTurns) throw new Error(`the network is still busy after ${maxTurns} delivery turns`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** @internal called by a transport's `send`. */
  enqueue(sender: MemoryTransport, to: PeerAddress, bytes: Uint8Array): void {
    if (sender.closed) { this.droppedCount++; return; }
    this.sentCount++;
    if (bytes.length > MAX_DATAGRAM_BYTES) { this.droppedCount++; return; }
    if (this.lossProbability > 0 && this.lossRandom() < this.lossProbability) { this.droppedCount++; return; }
    // Copied, so that the sender may reuse its buffer and the receiver may keep what it got.
    this.queue.push({ from: sender.localAddress, to: { host: to.host, port: to.port }, bytes: bytes.slice() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.deliver());
    }
  }

  /** @internal called by a transport's `close`. */
  release(transport: MemoryTransport): void {
    const key = addressKey(transport.localAddress);
    if (this.holders.get(key) === transport) this.holders.delete(key);
  }

  /** Delivers what was queued before this turn; what handlers send goes to the next turn. */
  private deliver(): void {
    const batch = this.queue;
    this.queue = [];
    let failure: { error: unknown } | undefined;
    for (const datagram of batch) {
      const recipient = this.holders.get(addressKey(datagram.to));
      if (recipient === undefined || recipient.closed || this.blocked.has(linkKey(datagram.from, datagram.to))) {
        this.droppedCount++;
        continue;
      }
      this.deliveredCount++;
      for (const handler of recipient.handlers) {
        try {
          handler(datagram.from, datagram.bytes);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (this.queue.length > 0) setImmediate(() => this.deliver());
    else this.scheduled = false;
    // A throwing handler is a bug of its node: surface it, after the rest of the batch arrived.
    if (failure !== undefined) throw failure.error;
  }
}

function linkKey(from: PeerAddress, to: PeerAddress): string {
  return `${addressKey(from)}>${addressKey(to)}`;
}
