/**
 * Printing read-back results: the same text as runtime/kdl's printTerm (spec §4.6), but
 * iterative, because results are not depth-limited (a readback may be 32,767 constructors
 * deep, spec §17.5) and recursion would exhaust the stack.
 */
import type { Term } from '../kdl/ast.js';
import { NAME_LIMIT, nameFromText, nameToText } from '../kdl/names.js';
import { PrintError } from '../kdl/print.js';
import { OPER_SYMBOLS } from '../kdl/u120.js';

const NAME_CTR = nameFromText('Name');

export function printResult(term: Term): string {
  const out: string[] = [];
  const todo: Array<Term | string> = [term];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
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
      case 'Fun': {
        if (item.tag === 'Ctr' && item.name === NAME_CTR && item.args.length === 1) {
          // `{Name #n}` prints as `{Name 'text'}`; a non-number field prints nothing at all.
          const arg = item.args[0]!;
          if (arg.tag !== 'Num') break;
          if (arg.numb >= NAME_LIMIT) throw new PrintError(`Cannot print {Name #${arg.numb}}: the number does not fit in a 72-bit name.`);
          out.push("{Name '", nameToText(arg.numb), "'}");
          break;
        }
        out.push(item.tag === 'Ctr' ? '{' : '(', nameToText(item.name));
        todo.push(item.tag === 'Ctr' ? '}' : ')');
        for (let k = item.args.length - 1; k >= 0; k--) todo.push(item.args[k]!, ' ');
        break;
      }
    }
  }
  return out.join('');
}
