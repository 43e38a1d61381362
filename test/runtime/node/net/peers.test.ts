import { PEER_TABLE_DEFAULTS, PeerTable, TokenBucketLimiter, type PeerAddress } from '../../../../runtime/node/net/index.js';

const T0 = 1_700_000_000_000;
const at = (n: number): PeerAddress => ({ host: `10.0.${n >> 8}.${n & 255}`, port: 42000 });
const keys = (peers: readonly { address: PeerAddress }[]): string[] => peers.map((p) => `${p.address.host}:${p.address.port}`).sort();

/** mulberry32: a small seeded generator, so the statistics below are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('activation (§6.2 see)', () => {
  test('a fresh new peer is recorded and activated; a stale one is only recorded', () => {
    const table = new PeerTable();
    expect(table.see({ address: at(1), seenAt: T0 }, T0)).toBe('not-seen-before');
    expect(table.isActive(at(1))).toBe(true);
    expect(table.see({ address: at(2), seenAt: T0 - 10_001 }, T0)).toBe('stale');
    expect(table.isActive(at(2))).toBe(false);
    expect(keys(table.seenPeers())).toEqual(keys([{ address: at(1) }, { address: at(2) }]));
    // exactly at the timeout still counts as fresh
    expect(table.see({ address: at(3), seenAt: T0 - 10_000 }, T0)).toBe('not-seen-before');
  });

  test('a known inactive peer is activated when fresh; an active one keeps the later seenAt', () => {
    const table = new PeerTable();
    table.see({ address: at(1), seenAt: T0 - 20_000 }, T0);
    expect(table.see({ address: at(1), seenAt: T0 - 15_000 }, T0)).toBe('stale');
    expect(table.see({ address: at(1), seenAt: T0 }, T0)).toBe('activated');
    expect(table.see({ address: at(1), seenAt: T0 - 5_000 }, T0 + 1)).toBe('already-active');
    expect(table.activePeers()).toEqual([{ address: at(1), seenAt: T0 }]);
    expect(table.see({ address: at(1), seenAt: T0 + 7 }, T0 + 7)).toBe('already-active');
    expect(table.activePeers()[0]!.seenAt).toBe(T0 + 7);
  });

  test('own addresses and unusable ones are ignored', () => {
    const self = { host: '127.0.0.1', port: 42000 };
    const table = new PeerTable({ selfAddresses: [self] });
    expect(table.see({ address: self, seenAt: T0 }, T0)).toBe('ignored');
    expect(table.see({ address: { host: '127.0.0.1', port: 0 }, seenAt: T0 }, T0)).toBe('ignored');
    expect(table.see({ address: { host: '0.0.0.0', port: 42000 }, seenAt: T0 }, T0)).toBe('ignored');
    expect(table.see({ address: { host: 'example.org', port: 42000 }, seenAt: T0 }, T0)).toBe('ignored');
    expect(table.see({ address: at(1), seenAt: Number.NaN }, T0)).toBe('ignored');
    expect(table.seenCount).toBe(0);
    expect(table.see({ address: { host: '127.0.0.1', port: 42001 }, seenAt: T0 }, T0)).toBe('not-seen-before');
  });

  test('the table keeps copies: mutating what was passed in changes nothing', () => {
    const table = new PeerTable();
    const address = { host: '10.1.1.1', port: 5 };
    table.see({ address, seenAt: T0 }, T0);
    address.port = 6;
    expect(table.activePeers()[0]!.address).toEqual({ host: '10.1.1.1', port: 5 });
  });
});

describe('expiry (§6.2 Timeout)', () => {
  test('active peers older than 10 000 ms are deactivated, stay in seen, and come back when heard of', () => {
    const table = new PeerTable();
    table.see({ address: at(1), seenAt: T0 }, T0);
    table.see({ address: at(2), seenAt: T0 + 5_000 }, T0 + 5_000);
    expect(table.expire(T0 + 10_000)).toEqual([]);
    expect(table.expire(T0 + 10_001)).toEqual([{ address: at(1), seenAt: T0 }]);
    expect(keys(table.activePeers())).toEqual(keys([{ address: at(2) }]));
    expect(table.seenCount).toBe(2);
    expect(table.see({ address: at(1), seenAt: T0 + 10_002 }, T0 + 10_002)).toBe('activated');
    expect(table.expire(T0 + 30_000).length).toBe(2);
    expect(table.activeCount).toBe(0);
  });

  test('the timeout is an option', () => {
    const table = new PeerTable({ timeoutMs: 100 });
    table.see({ address: at(1), seenAt: T0 }, T0);
    expect(table.expire(T0 + 101).length).toBe(1);
  });
});

describe('an advertised seenAt is clamped to now (defect 14)', () => {
  test('a peer advertised far in the future expires like one seen now', () => {
    const table = new PeerTable();
    const future = T0 + 1_000 * 86_400_000;
    expect(table.see({ address: at(1), seenAt: future }, T0)).toBe('not-seen-before');
    expect(table.activePeers()[0]!.seenAt).toBe(T0);
    expect(table.see({ address: at(1), seenAt: future }, T0 + 1)).toBe('already-active');
    expect(table.activePeers()[0]!.seenAt).toBe(T0 + 1);
    expect(table.expire(T0 + 10_002).length).toBe(1);
    expect(table.seenPeers()[0]!.seenAt).toBeLessThanOrEqual(T0 + 1);
  });
});

describe('caps', () => {
  test('defaults', () => {
    expect(PEER_TABLE_DEFAULTS).toEqual({
      timeoutMs: 10_000, maxSeen: 1024, maxActive: 256, retryInitialMs: 1_000, retryMaxMs: 60_000,
      ratePerSecond: 200, rateBurst: 400, maxRateSources: 4096,
    });
    const table = new PeerTable();
    for (let i = 0; i < 2000; i++) table.see({ address: at(i), seenAt: T0 + i }, T0 + i);
    expect(table.activeCount).toBe(256);
    expect(table.seenCount).toBe(1024);
  });

  test('a full active table takes a strictly fresher peer in place of its stalest; not an equally fresh one', () => {
    const table = new PeerTable({ maxActive: 2, maxSeen: 10 });
    table.see({ address: at(1), seenAt: T0 }, T0);
    table.see({ address: at(2), seenAt: T0 + 1 }, T0 + 1);
    expect(table.see({ address: at(3), seenAt: T0 }, T0 + 1)).toBe('full');
    expect(table.isActive(at(3))).toBe(false);
    expect(table.see({ address: at(4), seenAt: T0 + 2 }, T0 + 2)).toBe('not-seen-before');
    expect(keys(table.activePeers())).toEqual(keys([{ address: at(2) }, { address: at(4) }]));
    // at(3) was recorded, and activates once it is the fresher one
    expect(table.see({ address: at(3), seenAt: T0 + 3 }, T0 + 3)).toBe('activated');
    expect(keys(table.activePeers())).toEqual(keys([{ address: at(3) }, { address: at(4) }]));
  });

  test('a flood of advertised peers cannot push out peers that keep talking', () => {
    const table = new PeerTable({ maxActive: 4, maxSeen: 16 });
    const honest = [at(1), at(2), at(3), at(4)];
    for (let t = 0; t < 50; t++) {
      const now = T0 + t * 20;
      for (const h of honest) table.see({ address: h, seenAt: now }, now);
      for (let k = 0; k < 10; k++) table.see({ address: at(1000 + t * 10 + k), seenAt: now + 1e9 }, now);
    }
    expect(keys(table.activePeers())).toEqual(keys(honest.map((address) => ({ address }))));
    expect(table.seenCount).toBe(16);
  });

  test('a full seen table forgets its least recently refreshed inactive address', () => {
    const table = new PeerTable({ maxActive: 1, maxSeen: 3 });
    table.see({ address: at(1), seenAt: T0 }, T0); // active
    table.see({ address: at(2), seenAt: 0 }, T0); // stale
    table.see({ address: at(3), seenAt: 0 }, T0); // stale
    table.see({ address: at(2), seenAt: 1 }, T0); // refreshes 2: now 3 is the oldest inactive
    table.see({ address: at(4), seenAt: 0 }, T0);
    expect(keys(table.seenPeers())).toEqual(keys([{ address: at(1) }, { address: at(2) }, { address: at(4) }]));
  });

  test('options are checked', () => {
    expect(() => new PeerTable({ maxActive: 10, maxSeen: 5 })).toThrow(RangeError);
    expect(() => new PeerTable({ timeoutMs: -1 })).toThrow(RangeError);
    expect(() => new PeerTable({ maxSeen: 1.5 })).toThrow(RangeError);
    expect(() => new PeerTable({ retryInitialMs: 100, retryMaxMs: 10 })).toThrow(RangeError);
    expect(() => new PeerTable({ initialPeers: [{ host: 'seed.example', port: 42000 }] })).toThrow(RangeError);
    expect(new PeerTable({ maxSeen: 8 }).maxActive).toBe(8);
  });
});

describe('initial peers are retried with backoff, for ever (defect 14)', () => {
  const seedA = { host: '64.227.110.69', port: 42000 };
  const seedB = { host: '188.166.3.140', port: 42000 };

  test('due at once, then after 1, 2, 4 … s, at most 60 s apart, and never given up', () => {
    const table = new PeerTable({ initialPeers: [seedA] });
    const attempts: number[] = [];
    for (let t = 0; t <= 600_000; t += 250) if (table.due(t).length > 0) attempts.push(t);
    expect(attempts.slice(0, 8)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000, 123_000]);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(Math.max(...gaps)).toBe(60_000);
    expect(attempts[attempts.length - 1]).toBeGreaterThan(540_000);
  });

  test('an answering peer is not due while active; once it expires it is due at once with the backoff reset', () => {
    const table = new PeerTable({ initialPeers: [seedA, seedB] });
    expect(keys(table.due(T0).map((address) => ({ address })))).toEqual(keys([{ address: seedA }, { address: seedB }]));
    expect(table.due(T0)).toEqual([]);
    for (let t = T0; t < T0 + 8_000; t += 1_000) table.due(t); // seedB keeps backing off
    table.see({ address: seedA, seenAt: T0 + 8_000 }, T0 + 8_000);
    expect(table.due(T0 + 100_000).map((a) => a.host)).toEqual([seedB.host]);
    expect(table.expire(T0 + 18_001).map((p) => p.address)).toEqual([seedA]);
    expect(table.due(T0 + 18_001)).toEqual([seedA]);
    expect(table.due(T0 + 18_500)).toEqual([]);
    expect(table.due(T0 + 19_001)).toEqual([seedA]); // 1 s again: the backoff started over
  });

  test('with a start time, the initial peers are seen at it (active from the start, as in the original)', () => {
    const table = new PeerTable({ initialPeers: [seedA], now: T0 });
    expect(table.isActive(seedA)).toBe(true);
    expect(table.due(T0)).toEqual([]);
    table.expire(T0 + 10_001);
    expect(table.due(T0 + 10_001)).toEqual([seedA]);
  });

  test('an initial peer that is one of our own addresses is never due', () => {
    const table = new PeerTable({ initialPeers: [seedA], selfAddresses: [seedA] });
    expect(table.due(0)).toEqual([]);
  });
});

describe('sample: uniform without replacement (§6.4)', () => {
  test('distinct active peers, all of them when fewer', () => {
    const table = new PeerTable();
    for (let i = 0; i < 5; i++) table.see({ address: at(i), seenAt: T0 }, T0);
    table.see({ address: at(99), seenAt: 0 }, T0); // inactive: never sampled
    const random = seeded(1);
    for (let k = 0; k < 200; k++) {
      const picked = table.sample(3, random);
      expect(picked.length).toBe(3);
      expect(new Set(keys(picked)).size).toBe(3);
      expect(keys(picked)).not.toContain('10.0.0.99:42000');
    }
    expect(keys(table.sample(8, random))).toEqual(keys(table.activePeers()));
    expect(table.sample(0, random)).toEqual([]);
    expect(new PeerTable().sample(3, random)).toEqual([]);
    // a generator returning its upper bound does not break it
    expect(table.sample(5, () => 0.9999999999999999).length).toBe(5);
  });

  test('each peer and each pair is about equally likely', () => {
    const table = new PeerTable();
    for (let i = 0; i < 5; i++) table.see({ address: at(i), seenAt: T0 }, T0);
    const random = seeded(42);
    const single = new Map<string, number>();
    const pairs = new Map<string, number>();
    const draws = 20_000;
    for (let k = 0; k < draws; k++) {
      const picked = keys(table.sample(2, random));
      for (const p of picked) single.set(p, (single.get(p) ?? 0) + 1);
      pairs.set(picked.join(' '), (pairs.get(picked.join(' ')) ?? 0) + 1);
    }
    expect(single.size).toBe(5);
    for (const count of single.values()) expect(Math.abs(count - (draws * 2) / 5)).toBeLessThan(400); // expected 8000, σ ≈ 69
    expect(pairs.size).toBe(10);
    for (const count of pairs.values()) expect(Math.abs(count - draws / 10)).toBeLessThan(250); // expected 2000, σ ≈ 42
  });
});

describe('the per-source rate limiter (defect 14)', () => {
  const source = { host: '10.9.9.9', port: 42000 };

  test('a burst of 400, then 200 per second; sources are independent', () => {
    const table = new PeerTable();
    let allowed = 0;
    for (let i = 0; i < 1000; i++) if (table.allow(source, T0)) allowed++;
    expect(allowed).toBe(400);
    expect(table.allow({ host: '10.9.9.9', port: 42001 }, T0)).toBe(true);
    allowed = 0;
    for (let i = 0; i < 1000; i++) if (table.allow(source, T0 + 1_000)) allowed++;
    expect(allowed).toBe(200);
    expect(table.allow(source, T0 + 1_004)).toBe(false);
    expect(table.allow(source, T0 + 1_005)).toBe(true); // 5 ms = one datagram at 200/s
    // a long quiet spell refills to the burst, no more
    allowed = 0;
    for (let i = 0; i < 1000; i++) if (table.allow(source, T0 + 3_600_000)) allowed++;
    expect(allowed).toBe(400);
  });

  test('costs, custom rates, and a clock that goes back', () => {
    const table = new PeerTable({ ratePerSecond: 10, rateBurst: 20 });
    expect(table.allow(source, T0, 15)).toBe(true);
    expect(table.allow(source, T0, 10)).toBe(false); // a refusal takes nothing
    expect(table.allow(source, T0, 5)).toBe(true);
    expect(table.allow(source, T0 - 60_000)).toBe(false); // no refill from the past
    expect(table.allow(source, T0 + 100)).toBe(true);
  });

  test('the number of tracked sources is capped, least recently heard forgotten first', () => {
    const limiter = new TokenBucketLimiter(1, 2, 3);
    expect(limiter.allow('a', 0, 2)).toBe(true);
    expect(limiter.allow('a', 0)).toBe(false);
    limiter.allow('b', 0);
    limiter.allow('c', 0);
    expect(limiter.trackedKeys).toBe(3);
    limiter.allow('a', 0, 0); // touches a: b is now the least recently heard
    limiter.allow('d', 0);
    expect(limiter.trackedKeys).toBe(3);
    expect(limiter.allow('a', 0)).toBe(false); // still tracked, still empty
    expect(() => new TokenBucketLimiter(0, 1, 1)).toThrow(RangeError);
  });
});
