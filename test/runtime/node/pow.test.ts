/** Proof of work (kindelia-node.md §3, vectors of §10.6). */
import {
  MAXU, blockHash, difficultyOf, genesisBlock, hashText, isRetargetHeight, isTooFarInFuture, isValidChild,
  meetsTarget, retargetTarget, targetOf, workOf, type Block,
} from '../../../runtime/node/block/index.js';
import { chainParams } from '../../../runtime/node/params.js';

const params = chainParams();
const INITIAL = 0xff00000000000000000000000000000000000000000000000000000000000000n;
const hex = (n: bigint): string => hashText(n);

describe('targets and difficulty', () => {
  test('the initial target is 0xff00…00, difficulty 256', () => {
    expect(params.initialTarget).toBe(INITIAL);
    expect(targetOf(256n)).toBe(INITIAL);
    expect(difficultyOf(INITIAL)).toBe(256n);
  });

  test('difficulty 1 is target 0 (every hash hits it), and the edges are defined', () => {
    expect(targetOf(1n)).toBe(0n);
    expect(difficultyOf(0n)).toBe(1n);
    expect(difficultyOf(MAXU)).toBe(MAXU);
    expect(targetOf(MAXU + 5n)).toBe(MAXU);
    expect(() => targetOf(0n)).toThrow(RangeError);
    expect(() => difficultyOf(MAXU + 1n)).toThrow(RangeError);
  });

  test('a hash hits a target when it is at least the target', () => {
    expect(meetsTarget(INITIAL, INITIAL)).toBe(true);
    expect(meetsTarget(INITIAL - 1n, INITIAL)).toBe(false);
    expect(meetsTarget(MAXU, INITIAL)).toBe(true);
  });
});

describe('retarget (§3.4)', () => {
  test.each([
    [20_000n, 256n, '0xff00000000000000000000000000000000000000000000000000000000000000'],
    [10_000n, 512n, '0xff80000000000000000000000000000000000000000000000000000000000000'],
    [40_000n, 128n, '0xfe00000000000000000000000000000000000000000000000000000000000000'],
    [1_000n, 5120n, `0xfff${'3'.repeat(61)}`],
  ])('a period of %p ms gives difficulty %p', (period, difficulty, target) => {
    const next = retargetTarget(INITIAL, period, params);
    expect(difficultyOf(next)).toBe(difficulty);
    expect(hex(next)).toBe(target);
  });

  test('huge and degenerate periods do not throw (defect 15): the scale is at least 1', () => {
    // 2^32 · 20000 / period is 0 for periods beyond ~2.7 years; the scale counts as 1.
    const years = retargetTarget(INITIAL, 10n ** 12n, params);
    expect(difficultyOf(years)).toBe(1n);
    expect(retargetTarget(INITIAL, 1n << 200n, params)).toBe(targetOf(1n));
    // With scale 1 a difficulty of 2^40 falls to 1 + (2^40 − 1) / 2^32 = 256, not to 1.
    expect(difficultyOf(retargetTarget(targetOf(1n << 40n), 1n << 200n, params))).toBe(256n);
    expect(retargetTarget(INITIAL, 0n, params)).toBe(retargetTarget(INITIAL, 1n, params));
    // Starting from the hardest target stays at the hardest target.
    expect(retargetTarget(MAXU, 1n, params)).toBe(MAXU);
  });

  test('blocks at heights P+1, 2P+1, … retarget', () => {
    const yes = [21, 41, 61, 1001].filter((h) => isRetargetHeight(h, params));
    const no = [0, 1, 2, 20, 22, 40, 42].filter((h) => isRetargetHeight(BigInt(h), params));
    expect(yes).toEqual([21, 41, 61, 1001]);
    expect(no).toEqual([]);
  });
});

describe('the height-1 vector (§10.6)', () => {
  const genesis = genesisBlock(params);
  const child = (meta: bigint): Block => ({ prev: blockHash(genesis), time: 1672531200000n, meta, body: new Uint8Array([0]) });

  test('meta 530: hash 0xffe76e9e…5c3d, work 2667, a valid child of genesis', () => {
    const block = child(530n);
    const hash = blockHash(block);
    expect(hex(hash)).toBe('0xffe76e9e196f7fc785ca4dfd2f6be67d5dc1f047337172d70ae92d600ab75c3d');
    expect(workOf(hash)).toBe(2667n);
    expect(isValidChild(block, hash, genesis, params.initialTarget)).toBe(true);
  });

  test('meta 0 misses the target; a time not after the parent is invalid', () => {
    const missed = child(0n);
    const text = hex(blockHash(missed));
    expect([text.slice(0, 10), text.slice(-6)]).toEqual(['0xeb9fd5f9', 'b5b099']);
    expect(isValidChild(missed, blockHash(missed), genesis, params.initialTarget)).toBe(false);
    const early = { ...child(530n), time: 0n };
    expect(isValidChild(early, MAXU, genesis, 0n)).toBe(false);
  });
});

describe('work (§3.2)', () => {
  test('0 for hash 0, MAXU for hash MAXU (no division by zero), the floor quotient otherwise', () => {
    expect(workOf(0n)).toBe(0n);
    expect(workOf(MAXU)).toBe(MAXU);
    expect(workOf(MAXU - 1n)).toBe(MAXU);
    expect(workOf(INITIAL)).toBe(256n);
    expect(workOf(1n)).toBe(1n);
  });
});

test('a block one hour or more in the future is too far (§3.5)', () => {
  const now = 1672531200000n;
  expect(isTooFarInFuture(now + 3_599_999n, now, params)).toBe(false);
  expect(isTooFarInFuture(now + 3_600_000n, now, params)).toBe(true);
});
