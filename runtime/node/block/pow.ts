/**
 * Proof of work (kindelia-node.md §3.1–3.5): targets and difficulties, the work of a hash, the
 * validity of a child block, the difficulty adjustment, the future-time rule. All U256 maths on
 * bigint with floor division, as the original's; two of its edge cases divide by zero or
 * underflow (defect 15) and are given a defined value here instead.
 */
import type { ChainParams } from '../params.js';
import type { Block } from './block.js';

/** 2^256 − 1, the largest hash. */
export const MAXU = (1n << 256n) - 1n;

/** The fixed-point unit of the retarget scale (2^32). */
const SCALE_ONE = 1n << 32n;

function requireU256(what: string, value: bigint): void {
  if (value < 0n || value > MAXU) throw new RangeError(`${what} is not a 256-bit number: ${value}`);
}

/**
 * Expected hashes per success: MAXU / (MAXU − target). The target MAXU (which only the hash
 * MAXU hits) would divide by zero; its difficulty is defined as MAXU.
 */
export function difficultyOf(target: bigint): bigint {
  requireU256('a target', target);
  return target === MAXU ? MAXU : MAXU / (MAXU - target);
}

/** MAXU − MAXU / difficulty; a difficulty beyond MAXU gives the target MAXU. */
export function targetOf(difficulty: bigint): bigint {
  if (difficulty < 1n) throw new RangeError(`a difficulty is at least 1, got ${difficulty}`);
  return MAXU - MAXU / difficulty;
}

/**
 * The work a block's actual hash adds to its chain (§3.2): 0 for hash 0, else
 * MAXU / (MAXU − hash), and MAXU for the hash MAXU (the original divides by zero).
 */
export function workOf(hash: bigint): bigint {
  requireU256('a hash', hash);
  if (hash === 0n) return 0n;
  if (hash === MAXU) return MAXU;
  return MAXU / (MAXU - hash);
}

/** Large hashes are good: a hash hits a target when it is at least the target. */
export function meetsTarget(hash: bigint, target: bigint): boolean {
  return hash >= target;
}

/**
 * §3.3: a block is a valid child of its stored parent iff its hash hits the target recorded for
 * the parent and its time is strictly later than the parent's. Nothing else is checked here.
 */
export function isValidChild(block: Block, blockHash: bigint, parent: Block, parentTarget: bigint): boolean {
  return meetsTarget(blockHash, parentTarget) && block.time > parent.time;
}

/**
 * Whether the block at `height` retargets (§3.4): heights P+1, 2P+1, … after the first period
 * (P = retargetPeriod); its period is measured from its ancestor at `height − P`.
 */
export function isRetargetHeight(height: bigint | number, params: Pick<ChainParams, 'retargetPeriod'>): boolean {
  const h = BigInt(height);
  const period = BigInt(params.retargetPeriod);
  return h > period && h % period === 1n;
}

/**
 * The target a retargeting block records for its children (§3.4), from its parent's target and
 * the time its period took (block time − time of the ancestor P blocks back):
 *
 *     scale = floor(2^32 · targetBlockTimeMs · retargetPeriod / periodMs)
 *     dNext = 1 + floor((difficulty(parentTarget) · scale − 1) / 2^32)
 *
 * No clamping of the factor, as the original. Where the original fails the edge cases are
 * defined (defect 15): a scale that rounds to 0 (a period of years) counts as 1, and a period
 * below 1 ms (impossible between strictly increasing times) counts as 1 ms.
 */
export function retargetTarget(
  parentTarget: bigint,
  periodMs: bigint,
  params: Pick<ChainParams, 'targetBlockTimeMs' | 'retargetPeriod'>,
): bigint {
  const periodTime = BigInt(params.targetBlockTimeMs) * BigInt(params.retargetPeriod);
  const period = periodMs < 1n ? 1n : periodMs;
  const rawScale = (SCALE_ONE * periodTime) / period;
  const scale = rawScale < 1n ? 1n : rawScale;
  const last = difficultyOf(parentTarget);
  const next = 1n + (last * scale - 1n) / SCALE_ONE;
  return targetOf(next);
}

/** §3.5: a block stamped at `nowMs + futureToleranceMs` or later is dropped (and may come again). */
export function isTooFarInFuture(time: bigint, nowMs: bigint, params: Pick<ChainParams, 'futureToleranceMs'>): boolean {
  return time >= nowMs + BigInt(params.futureToleranceMs);
}
