/** The mempool (kindelia-node.md §5 and its recommendations, defect 10). */
import { bytesToHex, hexToBytes, signStatement } from '../../../runtime/crypto/index.js';
import { decodeBlockBody, encodeTransaction, parseStatement, parseStatements, withSignature } from '../../../runtime/kdl/index.js';
import { hashText } from '../../../runtime/node/block/index.js';
import { Mempool, normalizeTransaction, transactionHash, transactionPriority } from '../../../runtime/node/mempool/index.js';
import { chainParams } from '../../../runtime/node/params.js';

const params = chainParams();
const TX = hexToBytes('4acb4f9dc5e800000000');
const key1 = hexToBytes('01'.padStart(64, '0'));

/** Distinct valid transactions `run { (Done #i) }`, 10 bytes each for small i. */
const run = (i: number): Uint8Array => encodeTransaction(parseStatement(`run { (Done #${i}) }`));
const hashes = (pool: Mempool): bigint[] => pool.entries().map((e) => e.hash);
/** The genesis transactions: valid, distinct, 5 to 55 bytes. */
const genesisTxs = params.genesisStatements.map(encodeTransaction);
const ofLength = (n: number): Uint8Array[] => genesisTxs.filter((t) => t.length === n);

test('the §10.6 transaction: hash text 0x2b88f710…3a67, priority 91167688606300775', () => {
  expect(bytesToHex(TX)).toBe(bytesToHex(encodeTransaction(parseStatement('run { (Done #1) }'))));
  const hash = transactionHash(TX);
  expect(hashText(hash)).toBe('0x2b88f7105d192523669ad40a3c86cdd8df01ff11631207c20143e4879e5f3a67');
  expect(transactionPriority(hash)).toBe(91167688606300775n);
  const pool = new Mempool({ params });
  expect(pool.add(TX)).toEqual({ ok: true, hash });
  expect(pool.entries()).toEqual([{ hash, priority: 91167688606300775n, transaction: TX }]);
  expect([pool.size, pool.bytes]).toEqual([1, 10]);
});

describe('admission', () => {
  test('normalizes: raw and padded bytes are one transaction', () => {
    const pool = new Mempool({ params });
    const raw = TX.subarray(0, 7);
    const first = pool.add(raw);
    expect(first.ok).toBe(true);
    expect(pool.get(transactionHash(TX))).toEqual(TX);
    expect(pool.add(TX)).toMatchObject({ ok: false, reason: 'duplicate', hash: transactionHash(TX) });
    expect(transactionHash(raw)).toBe(transactionHash(TX));
    expect(normalizeTransaction(raw)).toEqual(TX);
  });

  test('oversize: more than 1277 bytes, before or after padding', () => {
    const pool = new Mempool({ params });
    expect(pool.add(new Uint8Array(1278))).toMatchObject({ ok: false, reason: 'oversize' });
    // 1276 bytes pad to 1280.
    expect(pool.add(new Uint8Array(1276))).toMatchObject({ ok: false, reason: 'oversize' });
    // 1275 zero bytes decode (an empty-named fun with nothing in it) and fit.
    expect(pool.add(new Uint8Array(1275))).toMatchObject({ ok: true });
    expect(pool.add(new Uint8Array(100_000)).ok).toBe(false);
    const small = new Mempool({ params: chainParams({ maxTransactionBytes: 10 }) });
    expect(small.add(TX).ok).toBe(true);
    expect(small.add(run(1_000_000_000_000))).toMatchObject({ ok: false, reason: 'oversize' });
  });

  test('undecodable: not a statement (tag 15, or data cut short)', () => {
    const pool = new Mempool({ params });
    const r = pool.add(hexToBytes('f0'));
    expect(r).toMatchObject({ ok: false, reason: 'undecodable', hash: transactionHash(hexToBytes('f0')) });
    // Tag 3 (reg) then an empty name: its 128-bit owner does not fit in five bytes.
    expect(pool.add(hexToBytes('c0'))).toMatchObject({ ok: false, reason: 'undecodable' });
    expect(pool.size).toBe(0);
  });

  test('bad-signature: signed, but no signer recovers; a good signature is admitted', () => {
    const pool = new Mempool({ params });
    const statement = parseStatement('run { (Done #1) }');
    const signed = signStatement(statement, key1);
    expect(pool.add(encodeTransaction(signed))).toMatchObject({ ok: true });
    const badId = Uint8Array.from(signed.sign!);
    badId[0] = 7; // recovery ids are 0..3
    const zeroR = Uint8Array.from(signed.sign!);
    zeroR.fill(0, 1, 33);
    for (const sign of [badId, zeroR]) {
      const r = pool.add(encodeTransaction(withSignature(statement, sign)));
      expect(r).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
    expect(pool.size).toBe(1);
  });

  test('duplicate: by transaction hash, with the hash', () => {
    const pool = new Mempool({ params });
    pool.add(run(5));
    const again = pool.add(Uint8Array.from(run(5)));
    expect(again).toMatchObject({ ok: false, reason: 'duplicate', hash: transactionHash(run(5)) });
    if (!again.ok) expect(again.message).toContain(hashText(transactionHash(run(5))));
    expect(pool.size).toBe(1);
  });
});

describe('bounds and eviction', () => {
  /** `n` distinct 10-byte transactions sorted by priority, lowest first. */
  const byPriority = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => run(i + 2))
    .sort((a, b) => { const d = transactionPriority(transactionHash(a)) - transactionPriority(transactionHash(b)); return d < 0n ? -1 : d > 0n ? 1 : 0; });

  test('full by count: the lowest priority makes room for a higher newcomer, else "full"', () => {
    const [p0, p1, p2, p3, p4] = byPriority(5) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const pool = new Mempool({ maxTransactions: 3, params });
    for (const tx of [p3, p1, p2]) expect(pool.add(tx).ok).toBe(true);
    const refused = pool.add(p0);
    expect(refused).toMatchObject({ ok: false, reason: 'full', hash: transactionHash(p0) });
    expect(hashes(pool)).toEqual([p3, p1, p2].map(transactionHash));
    expect(pool.add(p4)).toMatchObject({ ok: true });
    // p1 evicted; the others keep their FIFO places, the newcomer last.
    expect(hashes(pool)).toEqual([p3, p2, p4].map(transactionHash));
    expect(pool.has(transactionHash(p1))).toBe(false);
    // p1 now ranks below everything held.
    expect(pool.add(p1)).toMatchObject({ ok: false, reason: 'full' });
    expect(pool.size).toBe(3);
  });

  test('full by bytes: as many of the lowest as needed, all or none', () => {
    const big = ofLength(20)[0]!; // needs two 10-byte evictions in a 30-byte pool
    const p = transactionPriority(transactionHash(big));
    const sorted = byPriority(40);
    const below = sorted.filter((t) => transactionPriority(transactionHash(t)) < p);
    const above = sorted.filter((t) => transactionPriority(transactionHash(t)) > p);
    expect([below.length >= 2, above.length >= 2]).toEqual([true, true]);

    // It outranks the lowest but not the second lowest: refused, nothing evicted.
    const refusing = new Mempool({ maxBytes: 30, params });
    for (const tx of [above[1]!, below[0]!, above[0]!]) expect(refusing.add(tx).ok).toBe(true);
    expect(refusing.add(big)).toMatchObject({ ok: false, reason: 'full' });
    expect(hashes(refusing)).toEqual([above[1]!, below[0]!, above[0]!].map(transactionHash));
    expect([refusing.size, refusing.bytes]).toEqual([3, 30]);

    // It outranks the two lowest: both go, the third stays.
    const admitting = new Mempool({ maxBytes: 30, params });
    for (const tx of [above[0]!, below[1]!, below[0]!]) expect(admitting.add(tx).ok).toBe(true);
    expect(admitting.add(big)).toMatchObject({ ok: true });
    expect(hashes(admitting)).toEqual([above[0]!, big].map(transactionHash));
    expect([admitting.size, admitting.bytes]).toEqual([2, 30]);

    // Larger than the whole pool: never admitted.
    expect(new Mempool({ maxBytes: 30, params }).add(ofLength(35)[0]!)).toMatchObject({ ok: false, reason: 'full' });
  });

  test('the defaults: 10 000 transactions, 8 MiB', () => {
    const pool = new Mempool();
    expect([pool.maxTransactions, pool.maxBytes]).toEqual([10_000, 8 * 1024 * 1024]);
    expect(() => new Mempool({ maxTransactions: 0 })).toThrow(RangeError);
  });

  test('eviction always removes the lowest priority held (many adds)', () => {
    const txs = Array.from({ length: 300 }, (_, i) => run(1000 + i));
    const pool = new Mempool({ maxTransactions: 50, params });
    for (const tx of txs) pool.add(tx);
    const kept = pool.entries().map((e) => e.priority).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const best = txs.map((t) => transactionPriority(transactionHash(t))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(-50);
    expect(kept).toEqual(best);
    expect(pool.bytes).toBe(pool.entries().reduce((s, e) => s + e.transaction.length, 0));
  });
});

describe('removal and re-adding', () => {
  test('remove, removeAll (raw or normalized bytes)', () => {
    const pool = new Mempool({ params });
    const [a, b, c] = [run(1), run(2), run(3)];
    for (const tx of [a, b, c]) pool.add(tx);
    expect(pool.remove(transactionHash(b))).toBe(true);
    expect(pool.remove(transactionHash(b))).toBe(false);
    expect(pool.removeAll([a.subarray(0, 7), run(99)])).toBe(1);
    expect(hashes(pool)).toEqual([transactionHash(c)]);
    expect(pool.bytes).toBe(10);
  });

  test('reAdd puts reverted transactions ahead, in their order, skipping those present and refused', () => {
    const pool = new Mempool({ params });
    const [a, b, c, d] = [run(1), run(2), run(3), run(4)];
    pool.add(a);
    pool.add(b);
    expect(pool.reAdd([c, a, hexToBytes('f0'), d])).toBe(2);
    expect(hashes(pool)).toEqual([c, d, a, b].map(transactionHash));
    expect(pool.reAdd([])).toBe(0);
  });
});

describe('packing (the miner)', () => {
  test('FIFO order, a transaction that does not fit is skipped, not a stop', () => {
    const pool = new Mempool({ params });
    const [small1, small2] = ofLength(10) as [Uint8Array, Uint8Array];
    const large = ofLength(30)[0]!;
    for (const tx of [small1, large, small2]) pool.add(tx);
    // 1 + (2 + 10) + (2 + 30) = 45 > 40: the large one is skipped, the next small one taken.
    const { body, transactions } = pool.packBody(chainParams({ maxBodyBytes: 40 }));
    expect(transactions).toEqual([small1, small2]);
    expect(body).toHaveLength(1 + 12 + 12);
    expect(decodeBlockBody(body)).toEqual([small1, small2]);
    expect(pool.size).toBe(3);
    expect(pool.packBody(params).transactions).toEqual([small1, large, small2]);
  });

  test('at most maxTransactions, at most maxBodyBytes', () => {
    const pool = new Mempool({ params });
    const txs = Array.from({ length: 300 }, (_, i) => run(i));
    for (const tx of txs) pool.add(tx);
    expect(pool.packBody(chainParams({ maxTransactions: 7 })).transactions).toEqual(txs.slice(0, 7));
    // 10-byte transactions: 1 + 106 · 12 = 1273 ≤ 1280.
    const full = pool.packBody(params);
    expect(full.transactions).toEqual(txs.slice(0, 106));
    expect(full.body.length).toBe(1273);
    // The count byte's cap: 255 five-byte transactions would need 1786 bytes, so 1280 bytes hold 182.
    const tiny = new Mempool({ params });
    const fives = parseStatements(Array.from({ length: 300 }, (_, i) => `reg N${i} { #${i} }`).join('\n')).statements
      .map(encodeTransaction).filter((t) => t.length === 5);
    for (const tx of fives) tiny.add(tx);
    const packed = tiny.packBody(params).transactions.length;
    expect(packed).toBe(Math.min(fives.length, 182));
    expect(packed).toBeLessThanOrEqual(255);
  });

  test('an empty mempool packs the empty body 00', () => {
    expect(bytesToHex(new Mempool({ params }).packBody(params).body)).toBe('00');
  });
});
