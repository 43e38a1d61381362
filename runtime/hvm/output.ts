/**
 * Output lines of statements (spec §12.7): `TICK [ctr] NAME`, `TICK [run] RESULT
 * ESC[2m[M mana | D size]ESC[0m`, `TICK [tag] ERROR: message`; the tick is zero-padded to
 * 10 digits. Colours (the dim mana/size part) only when asked for.
 */
import { nameToText } from '../kdl/names.js';
import type { StatementOutcome } from './statements.js';

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** The line without the tick prefix. */
export function formatOutcome(outcome: StatementOutcome, color: boolean): string {
  if (!outcome.ok) return `[${outcome.tag}] ERROR: ${outcome.error}`;
  if (outcome.kind !== 'run') return `[${outcome.kind}] ${nameToText(outcome.name)}`;
  const stats = `[${outcome.usedMana} mana | ${outcome.sizeDiff} size]`;
  return `[run] ${outcome.text} ${color ? DIM + stats + RESET : stats}`;
}

export function formatTick(tick: number): string {
  return String(tick).padStart(10, '0');
}

/** The whole line, as the original prints it. */
export function formatOutcomeLine(outcome: StatementOutcome, color: boolean): string {
  return `${formatTick(outcome.tick)} ${formatOutcome(outcome, color)}`;
}
