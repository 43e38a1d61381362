/** `/constructor/{name}`: `{"arit": n}` for any constructor or function; 404 unknown; 400 bad name (§8.3). */
import { errorMessage, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('genesis constructors and functions: their arity as a JSON number', async () => {
  expect(jsonBody(await t.get('/constructor/Inc'))).toEqual({ arit: 0 });
  expect(jsonBody(await t.get('/constructor/Count'))).toEqual({ arit: 1 });
  expect(jsonBody(await t.get('/constructor/DONE'))).toEqual({ arit: 1 });
});

test('a deployed constructor of arity 3', async () => {
  t.node.submit(encodeTransaction(statement('ctr {Triple a b c}')));
  t.node.mineNow();
  expect(jsonBody(await t.get('/constructor/Triple'))).toEqual({ arit: 3 });
});

test('unknown: 404; bad name: 400 (the message says "function name")', async () => {
  expect(errorMessage(await t.get('/constructor/Nope'), 404)).toBe("Constructor 'Nope' not found");
  expect(errorMessage(await t.get('/constructor/a-b'), 400)).toMatch(/^Parameter is invalid: Invalid function name 'a-b': /);
});
