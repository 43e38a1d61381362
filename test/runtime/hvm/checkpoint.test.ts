/**
 * Checkpoints (runtime/hvm/checkpoint.ts): a restored runtime has the same checksum as the
 * original and behaves identically afterwards; every way a checkpoint can be broken is
 * reported with its reason; a restored runtime never rolls back below its checkpoint.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256, keyInfo } from '../../../runtime/crypto/index.js';
import { nameFromText, parseStatements, type Statement } from '../../../runtime/kdl/index.js';
import {
  CheckpointError, Runtime, type BlockContext, type CheckpointErrorReason, type StatementOutcome,
} from '../../../runtime/hvm/index.js';
import { parse, secretKey, signed } from './helpers.js';

const context = (tick: number): BlockContext => ({ time: 5000 + 3 * tick, meta: 7 * tick, hax0: 11n ** 30n + BigInt(tick), hax1: 13 * tick });

/** A deterministic generator (xorshift32), so failures reproduce. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

const SETUP = `
ctr {Leaf x}
ctr {Branch a b}
ctr {Put n}
ctr {Wide a b c d e f g h i j k l m n o p}
ctr {Nil}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}
fun (Keep a) {
  (Keep {Put n}) = ask ~ = (Take); ask (Save (Gen n)); (Done #0)
  (Keep {Get}) = ask x = (Load); (Done (Sum x))
} with { {Leaf #0} }
fun (Bank a) {
  (Bank {Inc}) = ask x = (Take); dup x0 x1 = x; ask (Save (+ x0 #1)); (Done x1)
  (Bank {Get}) = ask x = (Load); (Done x)
} with { #1000000000000000000000000000000 }
fun (Lam a) {
  (Lam {T1 n}) = ask f = (Take); dup f0 f1 = f; ask (Save f0); (Done (!f1 n))
} with { @x (* x #7) }
fun (Pick a b c d e f) {
  (Pick #0 b c d e f) = (+ b (+ c (+ d (+ e f))))
  (Pick a b c d e f) = (Pick (- a #1) b c d e f)
}
fun (Zero) {
  (Zero) = #42
}
${Array.from({ length: 17 }, (_, k) => `ctr {A${k}${Array.from({ length: k }, (_, j) => ` x${j}`).join('')}}`).join('\n')}
`;

/**
 * A block's statements: heap churn, state, failures, block context, index and hashes.
 * A failing first statement keeps the tick (spec §13.2); `steady` blocks start with one
 * that succeeds, so that each of them advances the tick.
 */
function randomBlock(next: (n: number) => number, tick: number, steady = false): Statement[] {
  const pool = (k: number): string => {
    switch (next(16)) {
      case 0: return `run { (Done (Sum (Gen #${4 + (k % 5)}))) }`;
      case 1: return `run { ask (Call 'Keep' {Put #${k % 6}}); ask x = (Call 'Keep' {Get}); (Done x) }`;
      case 2: return `run { ask x = (Call 'Bank' {Inc}); (Done x) }`;
      case 3: return `run { ask (Save {T2 #${k} (Gen #${k % 3})}); (Done #0) }`;
      case 4: return 'run { ask x = (Load); (Done x) }';
      case 5: return `run { (Done (+ (Sum (Gen #${k % 7})) (/ #1 #0))) }`;
      case 6: return `run { ask (Call 'Keep' {Put #${k % 7}}); (Fail #${k}) }`;
      case 7: return 'run { ask t = (Tick); ask m = (Meta); ask h = (Hax0); ask s = (Time); (Done {T4 t m h s}) }';
      case 8: return `ctr {K${tick}x${k} a b}`;
      case 9: return `fun (F${tick}x${k} x) {\n  (F${tick}x${k} x) = (+ x #${k})\n} with { {T1 #${k}} }`;
      case 10: return `run { ask i = (GetIdx 'Keep'); ask h = (GetStmHash0 i); (Done {T2 i h}) }`;
      case 11: return `run { ask x = (Call 'Lam' {T1 #${k}}); (Done x) }`;
      case 12: return `run { (Done (Pick #${k % 20} #1 #2 #3 #4 #5)) }`;
      case 13: return `run { (Done {A3 (Zero) {Wide #1 #2 #3 #4 #5 #6 #7 #8 #9 #10 #11 #12 #13 #14 #15 #${k}} {Nil}}) }`;
      case 14: return `run { ask x = (Call 'Count' {Inc}); (Done @y (+ y #${k})) }`;
      default: return 'run { ask x = (Call \'Count\' {Get}); (Done x) }';
    }
  };
  const n = next(5);
  return parse(`${steady ? 'run { (Done #0) }\n' : ''}${Array.from({ length: n }, () => pool(next(1000))).join('\n')}`);
}

function roundTrip(rt: Runtime): Runtime {
  const bytes = rt.checkpoint();
  const restored = Runtime.fromCheckpoint(bytes);
  expect(restored.checksum()).toBe(rt.checksum());
  expect(restored.tick).toBe(rt.tick);
  expect(restored.stats()).toEqual(rt.stats());
  // Encoding is a function of the state: the restored runtime writes the same bytes.
  expect(Buffer.from(restored.checkpoint()).equals(Buffer.from(bytes))).toBe(true);
  return restored;
}

/**
 * Runs the same blocks on both; outcomes, stats and checksums must agree after each.
 * Returns how many statements succeeded and failed.
 */
function runBoth(a: Runtime, b: Runtime, blocks: number, seed: number): { ok: number; failed: number } {
  const next = rng(seed);
  const counts = { ok: 0, failed: 0 };
  for (let k = 0; k < blocks; k++) {
    const tick = a.tick + 1;
    const statements = randomBlock(next, tick);
    const outA: StatementOutcome[] = a.runBlock(statements, context(tick));
    const outB: StatementOutcome[] = b.runBlock(statements, context(tick));
    expect(outB).toEqual(outA);
    expect(b.stats()).toEqual(a.stats());
    expect(b.checksum()).toBe(a.checksum());
    for (const o of outA) counts[o.ok ? 'ok' : 'failed']++;
  }
  return counts;
}

function setUp(): Runtime {
  const rt = new Runtime();
  const owner = `#x${keyInfo(secretKey(1)).subject.toString(16)}`;
  const owned = [...signed(`reg Acme { ${owner} }`, 1), ...signed(`reg Acme.Tools { ${owner} }`, 1)];
  const outcomes = rt.runBlock([...parse(SETUP), ...owned], context(1));
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  return rt;
}

describe('round trip', () => {
  test('after genesis, and an empty runtime', () => {
    const rt = new Runtime();
    const restored = roundTrip(rt);
    expect(restored.runStatements(parse("run { ask x = (Call 'Count' {Get}); (Done x) }"))[0]).toMatchObject({ ok: true, text: '#0' });
    roundTrip(new Runtime({ genesis: false }));
  });

  test('after functions with state, namespaces and constructors of every arity', () => {
    const rt = setUp();
    const restored = roundTrip(rt);
    expect(restored.indexOf(nameFromText('Acme.Tools'))).toBeDefined();
    expect(restored.indexOf(nameFromText('Acme.Tools'))).toBe(rt.indexOf(nameFromText('Acme.Tools')));
    expect(restored.readState(nameFromText('Bank'))).toEqual(rt.readState(nameFromText('Bank')));
    // A namespace owner is kept: only its subject may deploy there.
    const inside = [...signed('ctr {Acme.X}', 2), ...signed('ctr {Acme.Y}', 1)];
    runBoth(rt, restored, 0, 1);
    expect(restored.runBlock(inside, context(2))).toEqual(rt.runBlock(inside, context(2)));
    expect(restored.checksum()).toBe(rt.checksum());
    runBoth(rt, restored, 50, 7);
  });

  test('after many blocks, the next 50 random blocks agree', () => {
    const rt = setUp();
    const next = rng(99);
    for (let t = 2; t <= 400; t++) rt.runBlock(randomBlock(next, t), context(t));
    expect(rt.stats().size).toBeGreaterThan(100);
    const restored = roundTrip(rt);
    const counts = runBoth(rt, restored, 50, 1234);
    expect(counts.ok).toBeGreaterThan(40);
    expect(counts.failed).toBeGreaterThan(10);
    roundTrip(restored);
  });

  test('between the statements of an unblocked run, and from a view into a larger buffer', () => {
    const rt = setUp();
    rt.runStatements(parse('run { (Done (Sum (Gen #6))) }\nctr {Loose a}'));
    const bytes = rt.checkpoint();
    const framed = new Uint8Array(bytes.length + 10);
    framed.set(bytes, 5);
    const restored = Runtime.fromCheckpoint(framed.subarray(5, 5 + bytes.length));
    expect(restored.checksum()).toBe(rt.checksum());
    runBoth(rt, restored, 20, 5);
  });

  test('a restored runtime keeps rolling back and replaying like the original', () => {
    const rt = setUp();
    const next = rng(3);
    for (let t = 2; t <= 60; t++) rt.runBlock(randomBlock(next, t, true), context(t));
    expect(rt.tick).toBe(60);
    const restored = roundTrip(rt);
    runBoth(rt, restored, 40, 77);
    const sums = new Map<number, string>();
    const replay = rng(555);
    const blocks: Statement[][] = [];
    for (let t = rt.tick + 1; t <= rt.tick + 40; t++) blocks.push(randomBlock(replay, t, true));
    const start = rt.tick;
    blocks.forEach((b, i) => { rt.runBlock(b, context(start + i + 1)); restored.runBlock(b, context(start + i + 1)); sums.set(start + i + 1, rt.checksum()); });
    const landed = restored.rollback(start + 30);
    expect(landed).toBeGreaterThan(61);
    expect(landed).toBeLessThanOrEqual(start + 30);
    for (let t = landed + 1; t <= start + 40; t++) restored.runBlock(blocks[t - start - 1]!, context(t));
    expect(restored.checksum()).toBe(sums.get(start + 40));
  });

  test('checkpoint refuses while a block is open', () => {
    const rt = new Runtime();
    rt.openBlock(context(1));
    expect(() => rt.checkpoint()).toThrow(/block or statement is open/);
    rt.runStatements(parse('run { (Done #1) }'));
    expect(() => rt.checkpoint()).toThrow(/block or statement is open/);
    rt.commit();
    expect(Runtime.fromCheckpoint(rt.checkpoint()).checksum()).toBe(rt.checksum());
  });
});

describe('the conformance corpus: checkpoint halfway through each case', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../../conformance/kdl');
  const cases = readFileSync(join(root, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split('\t')).filter(([, mode]) => mode === 'test' || mode === 'sudo' || mode === 'fresh');

  test(`${cases.length} cases give the same outcomes after a restore`, () => {
    let checked = 0;
    for (const [path, mode] of cases) {
      let statements: Statement[];
      try {
        statements = parseStatements(readFileSync(join(root, path!), 'utf8')).statements;
      } catch {
        continue; // a parse-error case has no statements to run
      }
      const options = { sudo: mode === 'sudo' };
      const rt = new Runtime({ genesis: mode !== 'fresh' });
      const half = Math.floor(statements.length / 2);
      rt.runStatements(statements.slice(0, half), options);
      const restored = Runtime.fromCheckpoint(rt.checkpoint());
      expect(`${path} ${restored.checksum()}`).toBe(`${path} ${rt.checksum()}`);
      const rest = statements.slice(half);
      expect(restored.runStatements(rest, options)).toEqual(rt.runStatements(rest, options));
      expect(`${path} ${restored.checksum()}`).toBe(`${path} ${rt.checksum()}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('broken checkpoints', () => {
  const bytes = new Runtime().checkpoint();
  const reasonOf = (b: Uint8Array): CheckpointErrorReason | 'loaded' => {
    try {
      Runtime.fromCheckpoint(b);
      return 'loaded';
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      expect(e.message).toContain(e.reason);
      return e.reason;
    }
  };
  /** Recomputes the trailer, so that only the content is wrong. */
  const sealed = (b: Uint8Array): Uint8Array => {
    const out = b.slice();
    out.set(keccak256(out.subarray(0, out.length - 32)), out.length - 32);
    return out;
  };

  test('every truncation is truncated', () => {
    for (let n = 0; n < bytes.length; n++) expect(`${n} ${reasonOf(bytes.subarray(0, n))}`).toBe(`${n} truncated`);
  });

  test('every flipped byte is detected, with the reason of its place', () => {
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const b = bytes.slice();
        b[i] ^= mask;
        const expected = i < 8 ? ['bad-magic'] : i < 10 ? ['unsupported-version'] : i < 12 ? ['malformed']
          : i < 20 ? ['truncated', 'malformed'] : ['checksum-mismatch'];
        expect(`${i} ${mask} ${expected.includes(reasonOf(b))}`).toBe(`${i} ${mask} true`);
      }
    }
  });

  test('bad magic, other versions, trailing bytes', () => {
    expect(reasonOf(new TextEncoder().encode('not a checkpoint at all, just some text'))).toBe('bad-magic');
    expect(reasonOf(new Uint8Array([0x4b, 0x4e, 0x44, 0x4c, 0x00]))).toBe('bad-magic');
    const v2 = bytes.slice();
    v2[8] = 2;
    expect(reasonOf(v2)).toBe('unsupported-version');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(reasonOf(longer)).toBe('malformed');
  });

  test('content that fails to parse under a valid checksum is malformed', () => {
    // The first section's id (byte 20), its length, a byte inside the names section.
    for (const i of [20, 21, 40, 100, bytes.length - 40]) {
      const b = bytes.slice();
      b[i] ^= 0xff;
      expect(`${i} ${reasonOf(sealed(b))}`).toMatch(new RegExp(`^${i} (malformed|loaded)$`));
    }
    const b = bytes.slice();
    b[20] = 9;
    expect(reasonOf(sealed(b))).toBe('malformed');
    // Every sealed single-byte change either loads (a different but valid state) or is malformed.
    let malformedCount = 0;
    for (let i = 20; i < bytes.length - 32; i += 7) {
      const c = bytes.slice();
      c[i] ^= 0x55;
      const reason = reasonOf(sealed(c));
      expect(['malformed', 'loaded']).toContain(reason);
      if (reason === 'malformed') malformedCount++;
    }
    expect(malformedCount).toBeGreaterThan(0);
  });

  test('a failed load leaves a running runtime alone', () => {
    const rt = new Runtime();
    const sum = rt.checksum();
    expect(reasonOf(bytes.subarray(0, 100))).toBe('truncated');
    expect(rt.checksum()).toBe(sum);
    expect(Runtime.fromCheckpoint(bytes).checksum()).toBe(sum);
  });
});

describe('rollback below the checkpoint', () => {
  test('lands exactly on the checkpoint and returns its tick', () => {
    const rt = setUp();
    const next = rng(11);
    for (let t = 2; t <= 45; t++) rt.runBlock(randomBlock(next, t, true), context(t));
    expect(rt.tick).toBe(45);
    const bytes = rt.checkpoint();
    const at = rt.checksum();
    const restored = Runtime.fromCheckpoint(bytes);
    expect(restored.snapshots()).toEqual([]);
    expect(restored.rollback(10)).toBe(45);
    expect(restored.checksum()).toBe(at);
    const more = rng(12);
    for (let t = 46; t <= 90; t++) restored.runBlock(randomBlock(more, t, true), context(t));
    expect(restored.snapshots().map((s) => s.tick)).toEqual([78, 46]);
    expect(restored.rollback(50)).toBe(46);
    expect(restored.rollback(0)).toBe(45);
    expect(restored.checksum()).toBe(at);
    expect(restored.snapshots()).toEqual([]);
    expect(restored.rollback(-5)).toBe(45);
    expect(restored.checksum()).toBe(at);
    // And it goes on from there as the original did.
    runBoth(rt, restored, 10, 13);
  });
});
