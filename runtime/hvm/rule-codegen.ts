/**
 * Generates each function's matcher and rule bodies as JavaScript (like HVM compiling
 * rules), so FUN-CTR runs straight-line code instead of interpreting patterns.
 *
 * The generated text is made only of numbers (name ids, arities, opcodes, cell words)
 * and fixed templates; no name or other text from a statement ever reaches it. It calls
 * the machine's primitives (alloc, link, clear…) in the same order as the interpreted
 * form described in call-function.ts, create.ts and rhs-program.ts.
 */
import { ARG, CTR, DP1, ERA, SUP, VAR } from './cell.js';
import { collectAt } from './collect.js';
import { applyRuleWithEnvironment, funSup, patternTooWide } from './call-function.js';
import { checkProgramArities } from './create.js';
import { divergentFault } from './errors.js';
import { COND_CTR, COND_NUM, type CompiledFunction, type CompiledRule } from './functions.js';
import { MAX_FREE_SIZE, type Machine } from './machine.js';
import {
  LINK_FIELDS, SRC_DUP_VAR, SRC_LAMBDA_VAR, SRC_NODE, SRC_NULLARY, SRC_NUMBER, SRC_PATTERN, type RhsProgram,
} from './rhs-program.js';

/** Applies FUN-SUP or the first matching rule to `(F args…)` at `host`; false when stuck. */
export type FunctionCaller = (M: Machine, host: number, args: number, nameId: number) => boolean;

const helpers = { funSup, collectAt, checkProgramArities, patternTooWide, applyRuleWithEnvironment, clearedTwice };

function clearedTwice(loc: number): never {
  divergentFault(`Cleared twice: ${loc}`);
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`rule-codegen: ${n} is not an integer`);
  return String(n);
}

function argWord(i: number, word = 0): string {
  return word === 0 ? `m[(args + ${int(i)}) << 2]` : `m[((args + ${int(i)}) << 2) + ${int(word)}]`;
}

/** The condition under which rule `rule` matches, over the argument cells. */
function matchCondition(rule: CompiledRule, arity: number): string {
  const parts: string[] = [];
  for (let i = 0; i < arity; i++) {
    const kind = rule.condKind[i];
    if (kind === COND_CTR) {
      parts.push(`(${argWord(i)} & 255) === ${CTR}`, `${argWord(i, 2)} === ${int(rule.condName[i]!)}`);
    } else if (kind === COND_NUM) {
      const n = rule.condNum[i]!;
      parts.push(`${argWord(i)} === ${int(n.w0)}`, `${argWord(i, 1)} === ${int(n.w1)}`, `${argWord(i, 2)} === ${int(n.w2)}`, `${argWord(i, 3)} === ${int(n.w3)}`);
    } else if (rule.strictArg[i]) {
      parts.push(`(${argWord(i)} & 255) > ${VAR}`);
    }
  }
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

/**
 * Journals `loc` before its first write in the statement (Machine.touch with the dirty-bit
 * test inlined: most writes below the mark hit a cell already journaled).
 */
function touch(loc: string): string {
  return `if (${loc} < sm && (dirty[${loc} >>> 5] & (1 << (${loc} & 31))) === 0) M.journal(${loc});`;
}

/** Journals a popped free node once as a whole (Machine.alloc's test, inlined). */
function reuse(loc: string, size: number): string {
  return `if (${loc} < sm && (dirty[${loc} >>> 5] & (1 << (${loc} & 31))) === 0) M.reuse(${loc}, ${int(size)});`;
}

/**
 * A block writing a cell's four words at `dst` (journaled like Machine.writeRaw). `fresh`:
 * `dst` is in a node this rule allocated, which needs no journal test (see ruleBody).
 */
function writeCell(dst: string, w0: string, w1: string, w2: string, w3: string, fresh: boolean): string {
  return `{ const d = ${dst}; ${fresh ? '' : touch('d')} const j = d << 2; m[j] = ${w0}; m[j + 1] = ${w1}; m[j + 2] = ${w2}; m[j + 3] = ${w3}; }`;
}

/**
 * A block linking a variable cell (DP0, DP1 or VAR of `node`, a node this rule allocated)
 * at `dst`, with its back-pointer (in `node`, so not journaled; `fresh` as in writeCell).
 */
function linkVariable(dst: string, tag: number, node: string, ext: string, fresh: boolean): string {
  const binder = tag === DP1 ? `${node} + 1` : node;
  return `{ const d = ${dst}; ${fresh ? '' : touch('d')} const j = d << 2; m[j] = ${int(tag)}; m[j + 1] = ${node}; m[j + 2] = ${ext}; m[j + 3] = 0;`
    + ` const b = ${binder}; const k = b << 2; m[k] = ${ARG}; m[k + 1] = d; m[k + 2] = 0; m[k + 3] = 0; }`;
}

/** A block freeing the `size` cells at `loc` (Machine.clear, inlined). */
function clearNode(loc: string, size: number): string {
  if (size === 0) return '';
  if (size > MAX_FREE_SIZE) return `M.clear(${loc}, ${int(size)});`;
  const cells: string[] = [];
  for (let k = 0; k < size; k++) {
    const w = `m[j + ${int(4 * k)}]`, cell = `c + ${int(k)}`;
    cells.push(`if ((${w} & 255) === 0) H.clearedTwice(${cell}); ${touch(`(${cell})`)} ${w} = 0;`);
  }
  return `{ const c = ${loc}; const j = c << 2; ${cells.join(' ')} m[j + 1] = heads[${int(size)}]; heads[${int(size)}] = c; M.size -= ${int(size)}; if (M.maxFreeSize < ${int(size)}) M.maxFreeSize = ${int(size)}; }`;
}

/** The body of a rule with a build program: FUN-CTR with the machine's primitives inlined. */
function ruleBody(rule: CompiledRule, program: RhsProgram, k: number, arity: number): string {
  const out: string[] = [];
  const vars = rule.vars;
  out.push('let m = M.mem;');
  out.push('const ar = M.arity.values;');
  for (let e = 0; e < rule.erasParam.length; e++) {
    const i = rule.erasParam[e]!, fields = rule.erasArity[e]!;
    out.push(`const q${int(i)} = ${argWord(i, 1)};`);
    if (fields > 0) out.push(`if (${int(fields)} > (ar[${argWord(i, 2)}] ?? 0)) H.patternTooWide(M, args + ${int(i)}, ${int(fields)});`);
  }
  out.push(`if (M.arity.version !== C[${int(k)}].v) { H.checkProgramArities(M, P[${int(k)}]); C[${int(k)}].v = M.arity.version; }`);
  out.push(`M.mana += ${int(rule.mana)}; M.rwts++;`);
  const source = (v: CompiledRule['vars'][number]): string => (v.field < 0 ? `args + ${int(v.param)}` : `q${int(v.param)} + ${int(v.field)}`);
  // Kept values are read when the original reads them; when no collect follows, reading
  // them while linking gives the same cells, so they need no copies.
  let lastErased = -1;
  vars.forEach((v, idx) => { if (v.erase) lastErased = idx; });
  const keptSources: string[] = [];
  const buffered: boolean[] = [];
  vars.forEach((v, idx) => {
    if (v.erase) {
      out.push(`H.collectAt(M, ${source(v)});`);
      return;
    }
    const kept = keptSources.length;
    keptSources.push(source(v));
    const copy = idx < lastErased;
    buffered.push(copy);
    if (copy) {
      out.push(`const s${kept} = (${source(v)}) << 2, mm${kept} = M.mem;`);
      out.push(`const v${kept}a = mm${kept}[s${kept}], v${kept}b = mm${kept}[s${kept} + 1], v${kept}c = mm${kept}[s${kept} + 2], v${kept}d = mm${kept}[s${kept} + 3];`);
    }
  });
  out.push(`M.reserve(${int(program.cells)});`);
  out.push('m = M.mem;');
  // Every cell of a node allocated here needs no journal test: it is at or above the mark
  // (zero when the statement began), or was freed earlier in the statement (journaled
  // then), or was free when it began (the pop journals the node as reused).
  out.push('const heads = M.freeHeads, sm = M.stmtMark, dirty = M.stmtDirty;');
  if (program.nodeSize.length > 0) {
    out.push('let top = M.top;');
    program.nodeSize.forEach((size, n) => {
      const v = `n${int(n)}`;
      if (size <= MAX_FREE_SIZE) {
        out.push(`let ${v} = heads[${int(size)}]; if (${v} !== 0) { ${reuse(v, size)} heads[${int(size)}] = m[(${v} << 2) + 1]; } else { ${v} = top; top += ${int(size)}; }`);
      } else {
        out.push(`const ${v} = top; top += ${int(size)};`);
      }
    });
    out.push('M.top = top;');
    out.push(`M.size += ${int(program.cells)};`);
  }
  program.dupNodes.forEach((n) => out.push(`const L${int(n)} = M.dups % 1073741824; M.dups++;`));
  const eras = program.eraSlots;
  for (let e = 0; e < eras.length; e += 2) out.push(writeCell(`n${int(eras[e]!)} + ${int(eras[e + 1]!)}`, String(ERA), '0', '0', '0', true));
  const links = program.links;
  for (let l = 0; l < links.length; l += LINK_FIELDS) {
    const node = links[l]!, slot = links[l + 1]!, kind = links[l + 2]!, a = links[l + 3]!, b = links[l + 4]!, c = links[l + 5]!;
    const dst = node < 0 ? 'host' : `n${int(node)} + ${int(slot)}`, fresh = node >= 0;
    switch (kind) {
      case SRC_NODE: out.push(writeCell(dst, int(a), `n${int(b)}`, int(c), '0', fresh)); break;
      case SRC_NULLARY: out.push(writeCell(dst, int(a), '0', int(c), '0', fresh)); break;
      case SRC_NUMBER: {
        const n = program.numbers[b]!;
        out.push(writeCell(dst, int(n.w0), int(n.w1), int(n.w2), int(n.w3), fresh));
        break;
      }
      case SRC_LAMBDA_VAR: out.push(linkVariable(dst, VAR, `n${int(b)}`, '0', fresh)); break;
      case SRC_DUP_VAR: out.push(linkVariable(dst, a, `n${int(b)}`, `L${int(b)}`, fresh)); break;
      case SRC_PATTERN:
        if (buffered[b]) {
          out.push(`{ const d = ${dst}; M.linkWords(d, v${int(b)}a, v${int(b)}b, v${int(b)}c, v${int(b)}d); }`);
        } else {
          out.push(`{ const d = ${dst}; const s = (${keptSources[b]!}) << 2; const w0 = m[s], w1 = m[s + 1];`
            + ` ${fresh ? '' : touch('d')} const j = d << 2; m[j] = w0;`
            + ' m[j + 1] = w1; m[j + 2] = m[s + 2]; m[j + 3] = m[s + 3];'
            + ` const t = w0 & 255; if (t <= ${VAR}) M.linkBinder(d, t, w1); }`);
        }
        break;
      default: throw new Error(`rule-codegen: unknown link source ${kind}`);
    }
  }
  for (let e = 0; e < rule.erasParam.length; e++) out.push(clearNode(`q${int(rule.erasParam[e]!)}`, rule.erasArity[e]!));
  out.push(clearNode('args', arity));
  out.push('return true;');
  return out.join('\n  ');
}

/** Generates the caller of a compiled function. */
export function generateCaller(func: CompiledFunction): FunctionCaller {
  const arity = func.arity;
  const parts: string[] = ["'use strict';"];
  const programs: Array<RhsProgram | null> = [];
  func.rules.forEach((rule, k) => {
    programs.push(rule.program);
    const body = rule.program === null
      ? `return H.applyRuleWithEnvironment(M, F, R[${int(k)}], host, args);`
      : ruleBody(rule, rule.program, k, arity);
    parts.push(`function rule${int(k)}(M, host, args) {\n  ${body}\n}`);
  });
  const call: string[] = ['const m = M.mem;'];
  for (let s = 0; s < func.strict.length; s++) {
    const i = func.strict[s]!;
    call.push(`if ((${argWord(i)} & 255) === ${SUP}) return H.funSup(M, host, args, ${int(i)}, nameId);`);
  }
  func.rules.forEach((rule, k) => call.push(`if (${matchCondition(rule, arity)}) return rule${int(k)}(M, host, args);`));
  call.push('return false;');
  parts.push(`return function call(M, host, args, nameId) {\n  ${call.join('\n  ')}\n};`);
  const caches = func.rules.map(() => ({ v: -1 }));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('H', 'F', 'R', 'P', 'C', parts.join('\n')) as (...deps: unknown[]) => FunctionCaller;
  return factory(helpers, func, func.rules, programs, caches);
}
