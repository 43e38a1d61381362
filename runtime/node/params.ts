/**
 * Chain constants (kindelia-node.md Appendix A) as data, in one place. Every part of the node
 * takes a ChainParams instead of reading constants of its own, so a devnet or a test chain can
 * change what it needs (an easy target, its own genesis statements, §11.1) and nothing else.
 *
 * | Field               | Default          | Meaning                                              |
 * |---------------------|------------------|------------------------------------------------------|
 * | networkId           | 0xCAFE0007       | the "magic" of every message (§6.8)                  |
 * | initialTarget       | 0xff00…00        | what blocks 1…21 must hit: difficulty 256 (§3.1)    |
 * | targetBlockTimeMs   | 1000             | the intended spacing of blocks (§3.4)                |
 * | retargetPeriod      | 20               | blocks per difficulty period (§3.4)                  |
 * | futureToleranceMs   | 3 600 000        | a block at now + this or later is dropped (§3.5)     |
 * | maxBodyBytes        | 1280             | body limit, when building and when receiving (§2.3)  |
 * | maxTransactionBytes | 1277             | a normalized transaction's limit (§2.2)              |
 * | maxTransactions     | 255              | transactions per body (the count byte, §2.3)         |
 * | genesisStatements   | genesis.kdl      | the statements of the genesis block (§2.6)           |
 */
import { GENESIS_TEXT, MAX_BODY_SIZE, MAX_BODY_TRANSACTIONS, MAX_TRANSACTION_SIZE, type Statement, parseStatements } from '../kdl/index.js';
import { MAXU, targetOf } from './block/index.js';

export interface ChainParams {
  readonly networkId: number;
  readonly initialTarget: bigint;
  readonly targetBlockTimeMs: number;
  readonly retargetPeriod: number;
  readonly futureToleranceMs: number;
  readonly maxBodyBytes: number;
  readonly maxTransactionBytes: number;
  readonly maxTransactions: number;
  readonly genesisStatements: readonly Statement[];
}

/** The network id of the original's `default.toml`. */
export const DEFAULT_NETWORK_ID = 0xCAFE0007;
/** Initial difficulty 256: target 2^256 − 2^248. */
export const DEFAULT_INITIAL_DIFFICULTY = 256n;

let defaultGenesis: readonly Statement[] | undefined;

/** The built-in genesis program (`genesis.kdl`), parsed once. */
export function defaultGenesisStatements(): readonly Statement[] {
  defaultGenesis ??= Object.freeze(parseStatements(GENESIS_TEXT).statements);
  return defaultGenesis;
}

export class ChainParamsError extends RangeError {
  override readonly name = 'ChainParamsError';
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ChainParamsError(`chain parameter ${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/**
 * The original's parameters with `overrides` applied (an override given as undefined keeps the
 * default). Throws ChainParamsError for values the formats cannot carry: the body is packed by
 * the 1280-byte packer and its count is one byte, so those limits can be lowered, not raised.
 */
export function chainParams(overrides: Partial<ChainParams> = {}): ChainParams {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<ChainParams>;
  const params: ChainParams = {
    networkId: DEFAULT_NETWORK_ID,
    initialTarget: targetOf(DEFAULT_INITIAL_DIFFICULTY),
    targetBlockTimeMs: 1000,
    retargetPeriod: 20,
    futureToleranceMs: 3_600_000,
    maxBodyBytes: MAX_BODY_SIZE,
    maxTransactions: MAX_BODY_TRANSACTIONS,
    ...given,
    // Unless given, as large as the body allows beside the count byte and two length bytes.
    maxTransactionBytes: given.maxTransactionBytes ?? Math.min(MAX_TRANSACTION_SIZE, (given.maxBodyBytes ?? MAX_BODY_SIZE) - 3),
    genesisStatements: given.genesisStatements === undefined || given.genesisStatements === defaultGenesisStatements()
      ? defaultGenesisStatements() : Object.freeze([...given.genesisStatements]),
  };
  requireInteger('networkId', params.networkId, 0, 0xffff_ffff);
  if (params.initialTarget < 0n || params.initialTarget > MAXU) {
    throw new ChainParamsError(`chain parameter initialTarget must be a 256-bit number, got ${params.initialTarget}`);
  }
  requireInteger('targetBlockTimeMs', params.targetBlockTimeMs, 1, Number.MAX_SAFE_INTEGER);
  requireInteger('retargetPeriod', params.retargetPeriod, 1, Number.MAX_SAFE_INTEGER);
  requireInteger('futureToleranceMs', params.futureToleranceMs, 0, Number.MAX_SAFE_INTEGER);
  // At least room for the count byte and one smallest transaction (two length bytes and five).
  requireInteger('maxBodyBytes', params.maxBodyBytes, 1 + 2 + 5, MAX_BODY_SIZE);
  requireInteger('maxTransactions', params.maxTransactions, 1, MAX_BODY_TRANSACTIONS);
  // A transaction of the limit must fit a body beside the count byte and its two length bytes.
  requireInteger('maxTransactionBytes', params.maxTransactionBytes, 5, params.maxBodyBytes - 3);
  return Object.freeze(params);
}
