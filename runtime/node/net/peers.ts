/**
 * The peer table (kindelia-node.md §6.2) with the fixes of defect 14 (§6.9, §11.2):
 *
 * - `seen` holds every address heard of, `active` those contacted (gossip, relays). A peer is
 *   activated when its `seenAt` is within the inactivity timeout (10 000 ms) and deactivated by
 *   `expire` once it is older; it stays in `seen`.
 * - An advertised `seenAt` is never trusted into the future: it is clamped to `now`, so a
 *   fake peer cannot stay active forever.
 * - Both tables are capped. A full `seen` forgets its least recently refreshed inactive entry;
 *   a full `active` replaces its stalest member only with a strictly fresher peer, so a flood
 *   of advertisements cannot push out peers that keep talking.
 * - Configured initial peers are never given up: while one is not active, `due(now)` returns it
 *   again after a backoff that doubles from 1 s up to 60 s; hearing from it resets the backoff.
 * - A token bucket per source address (200 datagrams/s, burst 400) that the node consults
 *   (`allow`) before handling a datagram.
 *
 * Times are milliseconds since the epoch, always passed in (`now`): the table reads no clock.
 */
import { addressKey, isPeerAddress } from './messages.js';
import type { Peer, PeerAddress } from './messages.js';

export interface PeerTableOptions {
  /** A peer not heard of for longer than this is deactivated by `expire` (§6.2). Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** At most this many addresses are remembered. Default 1024. */
  readonly maxSeen?: number;
  /** At most this many peers are active. Default 256 (at most `maxSeen`). */
  readonly maxActive?: number;
  /** The configured peers, retried for ever while inactive (§6.2 "initial peers"). Default none. */
  readonly initialPeers?: readonly PeerAddress[];
  /** The first retry of an initial peer comes this long after the first attempt. Default 1000 ms. */
  readonly retryInitialMs?: number;
  /** Retries of an initial peer back off (doubling) up to this delay. Default 60 000 ms. */
  readonly retryMaxMs?: number;
  /** Datagrams per second allowed from one source address, sustained. Default 200. */
  readonly ratePerSecond?: number;
  /** Datagrams allowed from one source address in a burst. Default 400. */
  readonly rateBurst?: number;
  /** At most this many sources are rate-tracked; the least recently heard is forgotten first. Default 4096. */
  readonly maxRateSources?: number;
  /** The node's own addresses: never tabled (a peer may advertise us back to ourselves). */
  readonly selfAddresses?: readonly PeerAddress[];
  /**
   * The start time (ms). When given, the initial peers are seen at it, as the original does at
   * start-up (§6.2), so they are active (gossiped to) from the start. Default: absent — the
   * initial peers start inactive and are all returned by the first `due`.
   */
  readonly now?: number;
  /** Told of every `see` of a usable address (not of `ignored` ones): the event stream's SeePeer. */
  readonly onSee?: (sighting: PeerSighting) => void;
}

/** What one `see` did, for `PeerTableOptions.onSee`. */
export interface PeerSighting {
  /** The address, and the time it was seen at (an advertised time clamped to `now`). */
  readonly peer: Peer;
  readonly outcome: Exclude<SeeOutcome, 'ignored'>;
  /** The address was not in `seen` before and is now. */
  readonly firstSeen: boolean;
  /** For `already-active`: the peer's `seenAt` before and after (the later of the two). */
  readonly previousSeenAt?: number;
  readonly newSeenAt?: number;
}

export const PEER_TABLE_DEFAULTS = {
  timeoutMs: 10_000,
  maxSeen: 1024,
  maxActive: 256,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
  ratePerSecond: 200,
  rateBurst: 400,
  maxRateSources: 4096,
} as const;

/**
 * What `see` did:
 * - `not-seen-before`: a new address, recorded and activated;
 * - `activated`: a known, inactive address activated;
 * - `already-active`: an active peer whose `seenAt` was refreshed (to the later of the two);
 * - `stale`: recorded (if new) but too old to activate;
 * - `full`: fresh, but the active table is full of peers at least as fresh;
 * - `ignored`: one of our own addresses, or not a usable IPv4 address (port 0, 0.0.0.0, broadcast).
 */
export type SeeOutcome = 'not-seen-before' | 'activated' | 'already-active' | 'stale' | 'full' | 'ignored';

interface Retry {
  readonly address: PeerAddress;
  /** Attempts made since the peer was last active. */
  attempts: number;
  /** When the next attempt is due (−∞: right away). */
  nextAt: number;
}

function positive(name: string, value: number, integer: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new RangeError(`peer table option ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

/** Whether `address` can be a peer: a dotted IPv4 host other than 0.0.0.0 / 255.255.255.255, a port other than 0. */
function usable(address: PeerAddress): boolean {
  return isPeerAddress(address) && address.port !== 0 && address.host !== '0.0.0.0' && address.host !== '255.255.255.255';
}

function copyPeer(address: PeerAddress, seenAt: number): Peer {
  return { address: { host: address.host, port: address.port }, seenAt };
}

/**
 * A token bucket per key: each key holds up to `burst` tokens, refilled at `ratePerSecond`;
 * an event costs tokens. At most `maxKeys` keys are tracked; the least recently used is dropped
 * first (a forgotten key starts again with a full bucket, as a new one does).
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly ratePerSecond: number, readonly burst: number, readonly maxKeys: number) {
    positive('ratePerSecond', ratePerSecond, false);
    positive('burst', burst, false);
    positive('maxKeys', maxKeys, true);
  }

  /** Takes `cost` tokens from `key`'s bucket if it holds that many; false (and takes none) otherwise. */
  allow(key: string, now: number, cost = 1): boolean {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
      bucket = { tokens: this.burst, at: now };
    } else {
      this.buckets.delete(key); // re-inserted below: the map's order is least recently used first
      if (now > bucket.at) {
        bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.ratePerSecond) / 1000);
        bucket.at = now;
      }
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  get trackedKeys(): number {
    return this.buckets.size;
  }
}

export class PeerTable {
  readonly timeoutMs: number;
  readonly maxSeen: number;
  readonly maxActive: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Keys are `host:port`; both maps are kept least recently refreshed first. */
  private readonly seen = new Map<string, Peer>();
  private readonly active = new Map<string, Peer>();
  private readonly retries = new Map<string, Retry>();
  private readonly self: ReadonlySet<string>;
  private readonly limiter: TokenBucketLimiter;
  private readonly onSee: ((sighting: PeerSighting) => void) | undefined;

  constructor(options: PeerTableOptions = {}) {
    const d = PEER_TABLE_DEFAULTS;
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? d.timeoutMs, false);
    this.maxSeen = positive('maxSeen', options.maxSeen ?? d.maxSeen, true);
    this.maxActive = positive('maxActive', options.maxActive ?? Math.min(d.maxActive, this.maxSeen), true);
    if (this.maxActive > this.maxSeen) throw new RangeError(`maxActive (${this.maxActive}) exceeds maxSeen (${this.maxSeen})`);
    this.retryInitialMs = positive('retryInitialMs', options.retryInitialMs ?? d.retryInitialMs, false);
    this.retryMaxMs = positive('retryMaxMs', options.retryMaxMs ?? d.retryMaxMs, false);
    if (this.retryMaxMs < this.retryInitialMs) throw new RangeError(`retryMaxMs (${this.retryMaxMs}) is below retryInitialMs (${this.retryInitialMs})`);
    this.limiter = new TokenBucketLimiter(
      options.ratePerSecond ?? d.ratePerSecond,
      options.rateBurst ?? d.rateBurst,
      options.maxRateSources ?? d.maxRateSources,
    );
    this.self = new Set((options.selfAddresses ?? []).map(addressKey));
    this.onSee = options.onSee;
    for (const address of options.initialPeers ?? []) {
      if (!usable(address)) throw new RangeError(`initial peer '${addressKey(address)}' is not an IPv4 address with a non-zero port`);
      const key = addressKey(address);
      if (!this.self.has(key)) this.retries.set(key, { address: { host: address.host, port: address.port }, attempts: 0, nextAt: -Infinity });
    }
    const start = options.now;
    if (start !== undefined) for (const retry of this.retries.values()) this.see({ address: retry.address, seenAt: start }, start);
  }

  /**
   * Notes that `peer` was heard of at `peer.seenAt` (§6.2 `see_peer`): the source of a
   * datagram is seen with `seenAt = now`, peers listed in a NoticeTheseBlocks with what they
   * advertise — clamped to `now`.
   */
  see(peer: Peer, now: number): SeeOutcome {
    const key = addressKey(peer.address);
    if (!usable(peer.address) || this.self.has(key) || !Number.isFinite(peer.seenAt)) return 'ignored';
    const seenAt = Math.max(0, Math.min(peer.seenAt, now));
    const fresh = seenAt >= now - this.timeoutMs;

    const told = (outcome: Exclude<SeeOutcome, 'ignored'>, firstSeen: boolean, extra: { previousSeenAt?: number; newSeenAt?: number } = {}) => {
      this.onSee?.({ peer: copyPeer(peer.address, seenAt), outcome, firstSeen, ...extra });
      return outcome;
    };

    const current = this.active.get(key);
    if (current !== undefined) {
      this.active.delete(key);
      const refreshed = copyPeer(peer.address, Math.max(current.seenAt, seenAt));
      this.active.set(key, refreshed);
      this.remember(key, refreshed);
      return told('already-active', false, { previousSeenAt: current.seenAt, newSeenAt: refreshed.seenAt });
    }

    const known = this.seen.get(key);
    const record = copyPeer(peer.address, Math.max(known?.seenAt ?? 0, seenAt));
    if (known === undefined && !this.makeRoomInSeen()) return told('full', false);
    this.remember(key, record);
    if (!fresh) return told('stale', known === undefined);
    if (!this.makeRoomInActive(seenAt)) return told('full', known === undefined);
    this.active.set(key, copyPeer(peer.address, seenAt));
    const retry = this.retries.get(key);
    if (retry !== undefined) { retry.attempts = 0; retry.nextAt = -Infinity; }
    return told(known === undefined ? 'not-seen-before' : 'activated', known === undefined);
  }

  /** The active peers, least recently refreshed first (copies). */
  activePeers(): Peer[] {
    return [...this.active.values()].map((p) => copyPeer(p.address, p.seenAt));
  }

  /** Every remembered address with the latest time it was heard of (copies). */
  seenPeers(): Peer[] {
    return [...this.seen.values()].map((p) => copyPeer(p.address, p.seenAt));
  }

  isActive(address: PeerAddress): boolean {
    return this.active.has(addressKey(address));
  }

  get activeCount(): number { return this.active.size; }
  get seenCount(): number { return this.seen.size; }

  /** `n` distinct active peers drawn uniformly (all of them when fewer); `random()` in [0, 1). */
  sample(n: number, random: () => number): Peer[] {
    const pool = this.activePeers();
    const count = Math.max(0, Math.min(Math.floor(n), pool.length));
    for (let i = 0; i < count; i++) {
      const j = i + Math.min(pool.length - i - 1, Math.floor(random() * (pool.length - i)));
      const picked = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = picked;
    }
    return pool.slice(0, count);
  }

  /**
   * Deactivates the active peers last heard of before `now − timeoutMs` (§6.2 Timeout) and
   * returns them. Expired initial peers become due again at once.
   */
  expire(now: number): Peer[] {
    const expired: Peer[] = [];
    for (const [key, peer] of this.active) {
      if (peer.seenAt < now - this.timeoutMs) expired.push(peer);
      else continue;
      this.active.delete(key);
      const retry = this.retries.get(key);
      if (retry !== undefined) { retry.attempts = 0; retry.nextAt = now; }
    }
    return expired;
  }

  /**
   * The initial peers to contact now (send them our tip, so that they answer and become
   * active): those not active whose retry time has come. Each returned peer's next attempt is
   * scheduled `retryInitialMs · 2^k` later (k = attempts so far), at most `retryMaxMs`.
   */
  due(now: number): PeerAddress[] {
    const out: PeerAddress[] = [];
    for (const [key, retry] of this.retries) {
      if (this.active.has(key) || retry.nextAt > now) continue;
      out.push({ host: retry.address.host, port: retry.address.port });
      const delay = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.min(retry.attempts, 52));
      retry.attempts++;
      retry.nextAt = now + delay;
    }
    return out;
  }

  /**
   * Whether a datagram from `from` may be handled now: takes `cost` tokens from its source's
   * bucket (weigh expensive requests, e.g. a GiveMeThatBlock that asks for an 8 KB reply,
   * with a higher cost). Keyed by address and port, so that nodes sharing a host (a devnet)
   * do not share a budget.
   */
  allow(from: PeerAddress, now: number, cost = 1): boolean {
    return this.limiter.allow(addressKey(from), now, cost);
  }

  private remember(key: string, peer: Peer): void {
    this.seen.delete(key);
    this.seen.set(key, peer);
  }

  /** Room for one more address in `seen`: forgets the least recently refreshed inactive one. */
  private makeRoomInSeen(): boolean {
    if (this.seen.size < this.maxSeen) return true;
    for (const key of this.seen.keys()) {
      if (!this.active.has(key)) { this.seen.delete(key); return true; }
    }
    return false;
  }

  /** Room for a peer last seen at `seenAt` in `active`: deactivates the stalest peer if strictly older. */
  private makeRoomInActive(seenAt: number): boolean {
    if (this.active.size < this.maxActive) return true;
    let stalestKey: string | undefined;
    let stalestAt = Infinity;
    for (const [key, peer] of this.active) {
      if (peer.seenAt < stalestAt) { stalestAt = peer.seenAt; stalestKey = key; }
    }
    if (stalestKey === undefined || stalestAt >= seenAt) return false;
    // An evicted initial peer is due again at once: its retry was reset when it was activated.
    this.active.delete(stalestKey);
    return true;
  }
}
