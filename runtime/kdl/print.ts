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

/**
 * A term as text. Iterative: terms read back from memory are not depth-limited (a result
 * may be 32,767 constructors deep), so recursion could exhaust the stack.
 */
export function printTerm(term: Term): string {
  const out: string[] = [];
  const todo: Array<Term | string> = [term]; // terms still to print, and literal text
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') { out.push(item); continue; }
    switch (item.tag) {
      case 'Var': out.push(nameToText(item.name)); break;
      case 'Num': out.push('#', item.numb.toString(10)); break;
      case 'Lam': out.push('@', nameToText(item.name), ' '); todo.push(item.body); break;
      case 'App': out.push('(!'); todo.push(')', item.argm, ' ', item.func); break;
      case 'Op2': out.push('(', OPER_SYMBOLS[item.oper]!, ' '); todo.push(')', item.val1, ' ', item.val0); break;
      case 'Dup':
        out.push('dup ', nameToText(item.nam0), ' ', nameToText(item.nam1), ' = ');
        todo.push(item.body, '; ', item.expr);
        break;
      case 'Ctr':
        if (item.name === NAME_CTR && item.args.length === 1) { writeNameCtr(item.args[0]!, out); break; }
        pushCall('{', '}', item.name, item.args, out, todo);
        break;
      case 'Fun': pushCall('(', ')', item.name, item.args, out, todo); break;
    }
  }
  return out.join('');
}

function pushCall(open: string, close: string, name: bigint, args: readonly Term[], out: string[], todo: Array<Term | string>): void {
  out.push(open, nameToText(name));
  todo.push(close);
  for (let k = args.length - 1; k >= 0; k--) todo.push(args[k]!, ' ');
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
