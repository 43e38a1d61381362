/**
 * A CALL's argument must be a constructor whose fields are all numbers: the node copies it
 * from the caller's heap into the callee's and refuses anything else (lowering.md §7.1). The
 * check is on the argument's type, as the checker elaborated it: every constructor of that
 * type must have only number fields at run time (U60, U120, characters), so a variable of
 * that type is as good as a literal constructor. A type the program leaves abstract (a type
 * variable) cannot be judged here and passes.
 */
import type { CheckedEntry, Term } from '../check/index.js';
import type { LowerError } from './erase.js';
import type { RDefinition, RTerm } from './ir.js';

/** Types whose values are Kindelia numbers at run time. */
const NUMBER_TYPES = new Set(['Data.U60', 'Data.U120', 'Data.Char']);

/** The argument types of a telescope type, in order. */
function domains(type: Term): Term[] {
  const out: Term[] = [];
  let t = type;
  while (t.t === 'Pi') { out.push(t.dom); t = t.cod; }
  return out;
}

function resultHead(type: Term): string | undefined {
  let t = type;
  while (t.t === 'Pi') t = t.cod;
  return t.t === 'Ref' ? t.name : undefined;
}

function isNumberType(t: Term): boolean {
  return t.t === 'U60' || (t.t === 'Ref' && NUMBER_TYPES.has(t.name));
}

/** Whether `entry` is the CALL constructor (bound to the genesis `CALL` by `#kdl_name`). */
export function isCallConstructor(entry: CheckedEntry): boolean {
  return entry.signature?.isConstructor === true
    && entry.entry.attributes.some((a) => a.name.name === 'kdl_name' && a.value?.kind === 'IdentValue' && a.value.name === 'CALL');
}

/**
 * Why the call `Ref(call, args)` of the CALL constructor has an argument a node refuses, or
 * undefined. `entries` gives the constructors of the argument's type.
 */
export function callArgumentProblem(call: CheckedEntry, args: readonly Term[], entries: ReadonlyMap<string, CheckedEntry>): string | undefined {
  const signature = call.signature!;
  const runtime = signature.args.flatMap((a, i) => (a.erased ? [] : [i]));
  const position = runtime[1]; // the fields are name, argument, continuation
  if (position === undefined) return undefined;
  const declared = domains(signature.type)[position];
  // The argument's declared type is a type parameter of the constructor: what was passed for it.
  const type = declared?.t === 'Var' ? args[position - 1 - declared.ix] : declared;
  if (type === undefined || type.t !== 'Ref') {
    return type !== undefined && isNumberType(type) ? 'the argument of a CALL must be a constructor (with number fields), not a number' : undefined;
  }
  if (isNumberType(type)) return `the argument of a CALL must be a constructor (with number fields), not a \`${type.name}\``;
  const constructors = [...entries.values()].filter((e) => e.signature?.isConstructor === true && e.name !== type.name && resultHead(e.signature.type) === type.name);
  for (const c of constructors) {
    const field = nonNumberField(c);
    if (field !== undefined) {
      return `the argument of a CALL must be a constructor whose fields are numbers, but \`${c.name}\` (of \`${type.name}\`) has the field \`${field}\`, which is not a number`;
    }
  }
  return undefined;
}

/** The fields of constructor `name` that are not numbers at run time. */
function nonNumberField(entry: CheckedEntry): string | undefined {
  const signature = entry.signature!;
  const fields = domains(signature.type);
  const bad = signature.args.findIndex((a, i) => !a.erased && !isNumberType(fields[i]!));
  return bad >= 0 ? signature.args[bad]!.name : undefined;
}

/**
 * The same rule on the simplified IR, where calls through helpers (`Kindelia.IO.call`) have
 * been inlined and the argument shows: a number, or a constructor with a non-number field,
 * is refused; anything else was judged by its type (`callArgumentProblem`).
 */
export function callArgumentErrors(definitions: readonly RDefinition[], entries: ReadonlyMap<string, CheckedEntry>): LowerError[] {
  const errors: LowerError[] = [];
  for (const d of definitions) {
    const walk = (t: RTerm): void => {
      switch (t.k) {
        case 'Var': case 'Num': return;
        case 'Lam': walk(t.body); return;
        case 'App': walk(t.fun); walk(t.arg); return;
        case 'Op': walk(t.left); walk(t.right); return;
        case 'Let': walk(t.value); walk(t.body); return;
        case 'Call': t.args.forEach(walk); return;
        case 'Ctr': {
          const entry = entries.get(t.name);
          const argument = t.args[1];
          if (entry !== undefined && isCallConstructor(entry) && argument !== undefined) {
            if (argument.k === 'Num' || argument.k === 'Op') {
              errors.push({ message: `\`${d.name}\`: the argument of a CALL must be a constructor (with number fields), not a number`, span: d.span });
            } else if (argument.k === 'Ctr') {
              const ctr = entries.get(argument.name);
              const field = ctr === undefined ? undefined : nonNumberField(ctr);
              if (field !== undefined) {
                errors.push({ message: `\`${d.name}\`: the argument of a CALL must be a constructor whose fields are numbers, but \`${argument.name}\` has the field \`${field}\`, which is not a number`, span: d.span });
              }
            }
          }
          t.args.forEach(walk);
          return;
        }
      }
    };
    for (const r of d.rules) walk(r.body);
  }
  return errors;
}
