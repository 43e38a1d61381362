/** The runtime's read-only queries the node API answers from: rules, arity, owners, the definition lists. */
import { Runtime } from '../../../runtime/hvm/index.js';
import { nameFromText } from '../../../runtime/kdl/index.js';
import { parse } from './helpers.js';

test('rules, arity, owner and the lists of definitions reflect what was run', () => {
  const rt = new Runtime();
  const before = rt.definitions();
  const out = rt.runStatements(parse(`ctr {Pair a b}
fun (Keep x) { (Keep x) = ask s = (Take); ask (Save (+ s x)); (Done #1) } with { #7 }
reg Bank { #x1 }`), { sudo: true });
  expect(out.map((o) => o.ok)).toEqual([true, true, true]);
  const n = nameFromText;
  expect(rt.arityOf(n('Pair'))).toBe(2);
  expect(rt.arityOf(n('Keep'))).toBe(1);
  expect(rt.arityOf(n('Nothing'))).toBeUndefined();
  expect(rt.functionRules(n('Keep'))).toHaveLength(1);
  expect(rt.functionRules(n('Pair'))).toBeUndefined();
  expect(rt.ownerOf(n('Bank'))).toBe(1n);
  expect(rt.ownerOf(n('Nope'))).toBeUndefined();
  const after = rt.definitions();
  expect(after.constructors.length).toBe(before.constructors.length + 1);
  expect(after.constructors).toContain(n('Pair'));
  expect(after.functions).toContain(n('Keep'));
  expect(after.functions).not.toContain(n('Pair'));
  expect(after.namespaces).toContain(n('Bank'));
  expect(after.stateIds).toContain(n('Keep'));
  expect([...after.functions].sort((a, b) => (a < b ? -1 : 1))).toEqual(after.functions);
});
