/** `/functions/{name}`: `{"func": Func}` with the rewrite rules; 404 unknown; 400 bad name (§8.3). */
import { bodyOf, errorMessage, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { funcJson, type FuncJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('the genesis Count: its two rules as Term JSON', async () => {
  const body = jsonBody<{ func: FuncJson }>(await t.get('/functions/Count'));
  expect(Object.keys(body)).toEqual(['func']);
  expect(body.func.rules).toHaveLength(2);
  expect(body.func.rules[0]!.lhs).toEqual({ Fun: { name: 'Count', args: [{ Ctr: { name: 'Inc', args: [] } }] } });
  expect(body.func.rules[1]!.rhs).toEqual({
    App: { func: { Fun: { name: 'Load', args: [] } }, argm: { Lam: { name: 'x', body: { Ctr: { name: 'DONE', args: [{ Var: { name: 'x' } }] } } } } },
  });
});

test('a deployed function gives back the rules it was defined with', async () => {
  const fun = statement('fun (Add2 a b) { (Add2 a b) = (+ a (+ b #2)) (Add2 {Z} b) = b }');
  t.node.submit(encodeTransaction(fun));
  t.node.mineNow();
  expect(fun.tag).toBe('Fun');
  if (fun.tag !== 'Fun') return;
  expect(jsonBody(await t.get('/functions/Add2'))).toEqual({ func: funcJson(fun.rules) });
});

test('a function only in a dry run is not there afterwards', async () => {
  expect(jsonBody<unknown[]>(await t.post('/run', bodyOf(['fun (Ghost x) { (Ghost x) = x }'])))).toHaveLength(1);
  expect(errorMessage(await t.get('/functions/Ghost'), 404)).toBe("Function 'Ghost' not found");
});

test('unknown: 404; a constructor is not a function: 404', async () => {
  expect(errorMessage(await t.get('/functions/Nope'), 404)).toBe("Function 'Nope' not found");
  expect(errorMessage(await t.get('/functions/Inc'), 404)).toBe("Function 'Inc' not found");
});

test('a bad name: 400 naming the function name and the reason', async () => {
  expect(errorMessage(await t.get('/functions/a-b'), 400)).toMatch(/^Parameter is invalid: Invalid function name 'a-b': '-' is not a name character/);
  expect(errorMessage(await t.get('/functions/abcdefghijklm'), 400)).toMatch(/^Parameter is invalid: Invalid function name 'abcdefghijklm': /);
});
