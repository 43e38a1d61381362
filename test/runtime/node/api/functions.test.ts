/** `/functions`: the names with stored state (the original's quirk); `?defined=true`: every defined function. */
import { harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

const GENESIS_FUNCTIONS = ['If', 'Call', 'Done', 'Fail', 'From', 'Hax0', 'Hax1', 'Load', 'Meta', 'Norm', 'Save', 'Subj', 'Take', 'Tick', 'Time', 'Count', 'GetIdx', 'GetStmHash0', 'GetStmHash1'];

test('at genesis only Count has state; ?defined=true lists the 19 genesis functions', async () => {
  expect(jsonBody<string[]>(await t.get('/functions'))).toEqual(['Count']);
  expect(jsonBody<string[]>(await t.get('/functions?defined=true')).sort()).toEqual([...GENESIS_FUNCTIONS].sort());
});

test('a function with an initial state joins /functions; one without joins only ?defined=true', async () => {
  t.node.submit(encodeTransaction(statement('fun (Keep x) { (Keep x) = x } with { #7 }')));
  t.node.submit(encodeTransaction(statement('fun (Plain x) { (Plain x) = x }')));
  t.node.mineNow();
  const withState = jsonBody<string[]>(await t.get('/functions'));
  expect(withState.sort()).toEqual(['Count', 'Keep']);
  const defined = jsonBody<string[]>(await t.get('/functions?defined=true'));
  expect(defined).toEqual(expect.arrayContaining(['Keep', 'Plain', 'Count']));
  expect(defined).toHaveLength(21);
  for (const name of defined) expect(typeof name).toBe('string');
});

test('?defined=false or another value is the original listing', async () => {
  expect(jsonBody<string[]>(await t.get('/functions?defined=false'))).toEqual(['Count']);
  expect(jsonBody<string[]>(await t.get('/functions?defined=1'))).toEqual(['Count']);
});
