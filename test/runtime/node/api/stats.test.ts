/** `/stats` (§8.2 Stats): tick, mana and space limits from the tick, counts of definitions. */
import { bodyOf, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import type { StatsJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('at genesis: tick 0, limits of one tick, the genesis definitions', async () => {
  const stats = jsonBody<StatsJson>(await t.get('/stats'));
  expect(stats).toEqual({
    tick: 0,
    mana: { limit: 4_000_000, used: 0, available: 4_000_000 },
    space: { limit: 16, used: 0, available: 16 },
    fun_count: 19, ctr_count: 36, reg_count: 1,
  });
});

test('numbers are JSON numbers and available = limit − used; limits grow with the tick', async () => {
  t.node.submit(encodeTransaction(statement("run { ask (Call 'Count' {Inc}); (Done #0) }")));
  t.node.mineNow();
  t.node.submit(encodeTransaction(statement('ctr {Pair a b}')));
  t.node.submit(encodeTransaction(statement('fun (Id x) { (Id x) = x }')));
  t.node.submit(encodeTransaction(statement('reg Space { #0 }')));
  t.node.mineNow();
  const stats = jsonBody<StatsJson>(await t.get('/stats'));
  expect(stats.tick).toBe(2);
  expect(stats.mana.limit).toBe(3 * 4_000_000);
  expect(stats.space.limit).toBe(3 * 16);
  expect(stats.mana.used).toBeGreaterThan(0);
  for (const part of [stats.mana, stats.space]) {
    for (const v of Object.values(part)) expect(typeof v).toBe('number');
    expect(part.available).toBe(part.limit - part.used);
  }
  expect(stats.fun_count).toBe(20);
  expect(stats.ctr_count).toBe(37);
  // `reg Space` is refused (only the Namer registers top-level namespaces): still one.
  expect(stats.reg_count).toBe(1);
});

test('any method works (POST /stats), and a dry run changes nothing', async () => {
  const before = jsonBody<StatsJson>(await t.app.inject({ method: 'POST', url: '/stats' }));
  await t.post('/run', bodyOf(['ctr {Pair a b}', "run { ask (Call 'Count' {Inc}); (Done #0) }"]));
  expect(jsonBody<StatsJson>(await t.app.inject({ method: 'PUT', url: '/stats' }))).toEqual(before);
});
