/**
 * The original's canonical text for terms and statements (spec §4.6): no extra
 * spaces inside terms, fixed line layout for statements.
 */
import type { Rule, Signature, Statement, Term } from './ast.js';
import { NAME_LIMIT, nameFromText, nameToText } from './names.js';
import { OPER_SYMBOLS } from './u120.js';

/** Raised where the original would abort while printing (spec §15 H3). */
export class PrintError extends Error {}

const NAME_CTR = nameFromText('Name');

export function printTerm(term: Term): string {
  const out: string[] = [];
  writeTerm(term, out);
  return out.join('');
}

// Iterative over application spines would complicate this; terms are depth-limited
// (256) wherever they come from statements, so plain recursion is safe here.
function writeTerm(term: Term, out: string[]): void {
  switch (term.tag) {
    case 'Var': out.push(nameToText(term.name)); return;
    case 'Dup':
      out.push('dup ', nameToText(term.nam0), ' ', nameToText(term.nam1), ' = ');
      writeTerm(term.expr, out); out.push('; '); writeTerm(term.body, out);
      return;
    case 'Lam': out.push('@', nameToText(term.name), ' '); writeTerm(term.body, out); return;
    case 'App': out.push('(!'); writeTerm(term.func, out); out.push(' '); writeTerm(term.argm, out); out.push(')'); return;
    case 'Ctr':
      if (term.name === NAME_CTR && term.args.length === 1) { writeNameCtr(term.args[0]!, out); return; }
      writeCall('{', '}', term.name, term.args, out);
      return;
    case 'Fun': writeCall('(', ')', term.name, term.args, out); return;
    case 'Num': out.push('#', term.numb.toString(10)); return;
    case 'Op2':
      out.push('(', OPER_SYMBOLS[term.oper]!, ' '); writeTerm(term.val0, out); out.push(' '); writeTerm(term.val1, out); out.push(')');
      return;
  }
}

function writeCall(open: string, close: string, name: bigint, args: readonly Term[], out: string[]): void {
  out.push(open, nameToText(name));
  for (const arg of args) { out.push(' '); writeTerm(arg, out); }
  out.push(close);
}

/**
 * `{Name #n}` prints as `{Name 'text'}`; the original prints nothing at all when the
 * field is not a number, and aborts when the number does not fit a name.
 */
function writeNameCtr(arg: Term, out: string[]): void {
  if (arg.tag !== 'Num') return;
  if (arg.numb >= NAME_LIMIT) throw new PrintError(`Cannot print {Name #${arg.numb}}: the number does not fit in a 72-bit name.`);
  out.push("{Name '", nameToText(arg.numb), "'}");
}

export function printSignature(sign: Signature): string {
  const hex = Buffer.from(sign).toString('hex');
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 26) lines.push('  ' + hex.slice(i, i + 26) + '\n');
  return ' sign {\n' + lines.join('') + '}';
}

function printRule(rule: Rule): string {
  return '\n  ' + printTerm(rule.lhs) + ' = ' + printTerm(rule.rhs);
}

export function printOwner(owner: bigint): string {
  return '#x' + owner.toString(16).padStart(30, '0');
}

export function printStatement(statement: Statement): string {
  const sign = statement.sign === null ? '' : printSignature(statement.sign);
  switch (statement.tag) {
    case 'Fun': {
      const args = statement.args.map(nameToText).join(' ');
      const rules = statement.rules.map(printRule).join('');
      const init = statement.init === null ? '\n' : ' with {\n  ' + printTerm(statement.init) + '\n}';
      return `fun (${nameToText(statement.name)} ${args}) {${rules}\n}${init}${sign}`;
    }
    case 'Ctr':
      return `ctr {${nameToText(statement.name)}${statement.args.map((a) => ' ' + nameToText(a)).join('')}}${sign}`;
    case 'Run':
      return `run {\n  ${printTerm(statement.expr)}\n}${sign}`;
    case 'Reg':
      return `reg ${nameToText(statement.name)} { ${printOwner(statement.ownr)} }${sign}`;
  }
}

/** A list of statements: each followed by a newline. */
export function printStatements(statements: readonly Statement[]): string {
  return statements.map((s) => printStatement(s) + '\n').join('');
}

/** The header view used by `check`-like listings: a fun shows only its head. */
export function printStatementHeader(statement: Statement): string {
  if (statement.tag === 'Fun') return `fun (${nameToText(statement.name)} ${statement.args.map(nameToText).join(' ')})`;
  return printStatement({ ...statement, sign: null });
}
