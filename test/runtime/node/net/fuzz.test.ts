import fc from 'fast-check';
import type { Block } from '../../../../runtime/node/block/index.js';
import { decodeMessage, encodeMessage, type DecodedMessage, type Message, type Peer } from '../../../../runtime/node/net/index.js';

const MAGIC = 0xcafe0007;
const REASONS = new Set(['truncated', 'bad-magic', 'unknown-code', 'ipv6-address', 'oversize-transaction', 'malformed']);

const peer: fc.Arbitrary<Peer> = fc.record({
  address: fc.record({
    host: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
    port: fc.nat(0xffff),
  }),
  seenAt: fc.nat(2 ** 48 - 1),
});

const block: fc.Arbitrary<Block> = fc.record({
  prev: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  time: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  meta: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  body: fc.uint8Array({ maxLength: 48 }),
});

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({
    tag: fc.constant('NoticeTheseBlocks' as const),
    gossip: fc.boolean(),
    blocks: fc.array(block, { maxLength: 3 }),
    peers: fc.array(peer, { maxLength: 4 }),
  }),
  fc.record({ tag: fc.constant('GiveMeThatBlock' as const), hash: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }) }),
  fc.record({ tag: fc.constant('PleaseMineThisTransaction' as const), transaction: fc.uint8Array({ maxLength: 64 }) }),
);

const networkId = fc.oneof(fc.constant(MAGIC), fc.nat(0xffff_ffff).map((n) => n >>> 0));

type Mutation =
  | { op: 'flip'; at: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; value: number }
  | { op: 'delete'; at: number }
  | { op: 'append'; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 16 }) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  switch (m.op) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      const bit = m.at % (n * 8);
      out[bit >> 3]! ^= 0x80 >> (bit & 7);
      return out;
    }
    case 'set': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[m.at % n] = m.value;
      return out;
    }
    case 'truncate': return bytes.slice(0, m.at % (n + 1));
    case 'insert': {
      const at = m.at % (n + 1);
      return new Uint8Array([...bytes.subarray(0, at), m.value, ...bytes.subarray(at)]);
    }
    case 'delete': {
      if (n === 0) return bytes;
      const at = m.at % n;
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    }
    case 'append': return new Uint8Array([...bytes, ...m.bytes]);
  }
}

/** The result is ok or a known reason; an ok result re-encodes to a datagram that decodes to the same message. */
function checkResult(result: DecodedMessage, expected: number | undefined): void {
  if (!result.ok) {
    if (!REASONS.has(result.reason)) throw new Error(`unknown reason ${String(result.reason)}`);
    if (typeof result.detail !== 'string' || result.detail.length === 0) throw new Error('a failure without a detail');
    return;
  }
  if (expected !== undefined && result.networkId !== expected) throw new Error('a message of another network decoded');
  const again = decodeMessage(encodeMessage(result.networkId, result.message), result.networkId);
  if (!again.ok) throw new Error(`a decoded message re-encodes to an undecodable datagram: ${again.reason}`);
  expect(again.message).toEqual(result.message);
}

/** How often each outcome came up, so that the fuzzing is seen to reach every branch. */
const outcomes = new Map<string, number>();

function decodeChecked(bytes: Uint8Array, expected: number | undefined): void {
  let result: DecodedMessage;
  try {
    result = decodeMessage(bytes, expected);
  } catch (error) {
    throw new Error(`decodeMessage threw on ${Buffer.from(bytes).toString('hex')}: ${String(error)}`);
  }
  checkResult(result, expected);
  const key = result.ok ? 'ok' : result.reason;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

describe('decodeMessage on hostile datagrams', () => {
  test('14 000 valid messages with up to 4 mutations each (bit flips, byte edits, truncations, insertions, deletions, tails)', () => {
    fc.assert(
      fc.property(networkId, message, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (id, m, mutations, withExpected) => {
        let bytes = encodeMessage(id, m);
        for (const mu of mutations) bytes = mutate(bytes, mu);
        decodeChecked(bytes, withExpected ? MAGIC : undefined);
      }),
      { numRuns: 14_000 },
    );
    for (const outcome of ['ok', 'truncated', 'bad-magic', 'unknown-code', 'ipv6-address']) expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(0);
  });

  test('3 000 datagrams of random bytes behind a valid magic and code', () => {
    fc.assert(
      fc.property(fc.nat(15), fc.uint8Array({ maxLength: 200 }), (code, tail) => {
        const head = encodeMessage(MAGIC, { tag: 'GiveMeThatBlock', hash: 0n }).slice(0, 5);
        head[4] = (head[4]! & 0x0f) | (((code & 1) << 7) | ((code & 2) << 5) | ((code & 4) << 3) | ((code & 8) << 1));
        decodeChecked(new Uint8Array([...head, ...tail]), MAGIC);
      }),
      { numRuns: 3_000 },
    );
  });

  test('3 000 datagrams of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withExpected) => {
        decodeChecked(bytes, withExpected ? MAGIC : undefined);
      }),
      { numRuns: 3_000 },
    );
  });

  test('valid messages round-trip (transactions normalized)', () => {
    fc.assert(
      fc.property(networkId, message, (id, m) => {
        const result = decodeMessage(encodeMessage(id, m), id);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.networkId).toBe(id);
        if (m.tag === 'PleaseMineThisTransaction') {
          const size = Math.max(5, Math.ceil(m.transaction.length / 5) * 5);
          const padded = new Uint8Array(size);
          padded.set(m.transaction);
          expect(result.message).toEqual({ tag: m.tag, transaction: padded });
        } else {
          expect(result.message).toEqual(m);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
