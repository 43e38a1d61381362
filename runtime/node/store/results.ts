/**
 * The stored form of a block's statement outcomes (the `results` table of store.ts): what
 * `/blocks/{hash}` answers for a block executed before a restart, when the runtime came from a
 * checkpoint above it and did not execute it again.
 *
 * UTF-8 JSON, one array per outcome (terms as the hex of their bit-stream encoding, kdl §1.6,
 * which is compact and exact):
 * - `["c"|"f"|"g", nameHex, tick]`: a ctr, fun or reg that succeeded;
 * - `["r", termHex, text, tooLarge 0|1, usedMana, sizeDiff, endSize, tick]`: a run that succeeded;
 * - `["e", tag, error, divergence 0|1, tick]`: a statement that failed.
 * The whole record is `{"v":1,"o":[…]}`, so a later format can be told apart.
 */
import type { StatementOutcome } from '../../hvm/index.js';
import { bytesToHex, hexToBytes } from '../../crypto/index.js';
import { decodeTerm, encodeTerm } from '../../kdl/index.js';

const VERSION = 1;
const KIND_CODE = { ctr: 'c', fun: 'f', reg: 'g' } as const;
const CODE_KIND: Record<string, 'ctr' | 'fun' | 'reg'> = { c: 'ctr', f: 'fun', g: 'reg' };
const ERROR_TAGS = new Set(['ctr', 'fun', 'run']);

type Row = ReadonlyArray<string | number>;

export function encodeOutcomes(outcomes: readonly StatementOutcome[]): Uint8Array {
  const rows: Row[] = outcomes.map((o): Row => {
    if (!o.ok) return ['e', o.tag, o.error, o.divergence ? 1 : 0, o.tick];
    if (o.kind === 'run') return ['r', bytesToHex(encodeTerm(o.result).bytes), o.text, o.resultTooLarge ? 1 : 0, o.usedMana, o.sizeDiff, o.endSize, o.tick];
    return [KIND_CODE[o.kind], o.name.toString(16), o.tick];
  });
  return new TextEncoder().encode(JSON.stringify({ v: VERSION, o: rows }));
}

function fail(why: string): never {
  throw new Error(`stored results: ${why}`);
}

const int = (v: unknown, what: string): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(`${what} is not an integer`));
const text = (v: unknown, what: string): string => (typeof v === 'string' ? v : fail(`${what} is not a string`));
const flag = (v: unknown, what: string): boolean => (v === 0 || v === 1 ? v === 1 : fail(`${what} is not 0 or 1`));

/** The outcomes of `encodeOutcomes`; throws on anything else. */
export function decodeOutcomes(bytes: Uint8Array): StatementOutcome[] {
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  const { v, o } = (record ?? {}) as { v?: unknown; o?: unknown };
  if (v !== VERSION) fail(`unknown format ${String(v)}`);
  if (!Array.isArray(o)) fail('no outcome list');
  return o.map((row: unknown, i): StatementOutcome => {
    if (!Array.isArray(row)) fail(`outcome ${i} is not a list`);
    const code = row[0];
    if (code === 'e') {
      const tag = text(row[1], 'an error tag');
      if (!ERROR_TAGS.has(tag)) fail(`unknown error tag '${tag}'`);
      return { ok: false, tag: tag as 'ctr' | 'fun' | 'run', error: text(row[2], 'an error'), divergence: flag(row[3], 'divergence'), tick: int(row[4], 'a tick') };
    }
    if (code === 'r') {
      return {
        ok: true, kind: 'run', result: decodeTerm(hexToBytes(text(row[1], 'a term'))), text: text(row[2], 'a result text'),
        resultTooLarge: flag(row[3], 'tooLarge'), usedMana: int(row[4], 'used mana'), sizeDiff: int(row[5], 'a size difference'),
        endSize: int(row[6], 'an end size'), tick: int(row[7], 'a tick'),
      };
    }
    const kind = typeof code === 'string' ? CODE_KIND[code] : undefined;
    if (kind === undefined) fail(`outcome ${i} has an unknown kind`);
    const name = text(row[1], 'a name');
    if (!/^[0-9a-f]{1,30}$/.test(name)) fail(`outcome ${i} has a bad name`);
    return { ok: true, kind, name: BigInt(`0x${name}`), tick: int(row[2], 'a tick') };
  });
}
