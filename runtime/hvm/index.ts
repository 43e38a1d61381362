/**
 * The Kindelia runtime (HVM with mana and size metering, effects, namespaces and
 * reversible snapshots): the folder's only door.
 */
export { Runtime, genesis, type BlockContext, type RunOptions, type RuntimeOptions, type RuntimeStats } from './runtime.js';
export type { StatementOutcome, ErrorTag } from './statements.js';
export { formatOutcome, formatOutcomeLine, formatTick } from './output.js';
export type { SnapshotInfo } from './snapshots.js';
export { CheckpointError, type CheckpointErrorReason } from './checkpoint.js';
export { READBACK_LIMIT } from './readback.js';
export { STEPS_PER_MANA, STEP_ALLOWANCE } from './budgets.js';
export { BLOCK_MANA_LIMIT, BLOCK_BITS_LIMIT, manaLimit, sizeLimit, countAllocs } from './costs.js';
