/**
 * 10,000 random and malformed bodies over every POST route (fast-check): random bytes, random
 * JSON, and valid statement JSON mutated (deep nesting, wrong types, huge numbers, bad names,
 * unknown fields and tags). Never a 5xx; every error a JSON `{"message"}`; `/run` never changes
 * the node's state; the node still answers afterwards.
 */
import fc from 'fast-check';
import { harness, jsonBody, type Harness } from './helpers.js';
import { printStatement } from '../../../../runtime/kdl/index.js';
import { statementJson, type DevnetControl } from '../../../../runtime/node/api/index.js';
import { statement as arbStatement } from '../../kdl/arbitraries.js';

/** A devnet that does nothing to the node (the state must stay as it was). */
const devnetCalls = { snapshot: 0, revert: 0, mine: 0 };
const devnet: DevnetControl = {
  snapshot: () => { devnetCalls.snapshot++; return 'snap'; },
  revert: (id) => { devnetCalls.revert++; return id === 'snap'; },
  mine: async () => { devnetCalls.mine++; return []; },
};

let t: Harness;
let checksum: string;
beforeAll(() => {
  t = harness({ devnet, bodyLimit: 64 * 1024 });
  checksum = t.node.chain.runtime.checksum();
});
afterAll(async () => { await t.close(); });

// --- generators -----------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Deep nesting is generated as text (JSON.stringify of a value thousands deep overflows the
 * stack): a marker string stands for it inside a value and `render` writes it out.
 */
const DEEP = '\u0001deep:';
const deep = (kind: 'lam' | 'array' | 'app', depth: number): string => `${DEEP}${kind}:${depth}`;
function deepText(kind: string, depth: number): string {
  switch (kind) {
    case 'lam': return '{"Lam":{"name":"x","body":'.repeat(depth) + '{"Num":{"numb":"1"}}' + '}}'.repeat(depth);
    case 'array': return '['.repeat(depth) + ']'.repeat(depth);
    default: return '{"App":{"argm":{"Var":{"name":"y"}},"func":'.repeat(depth) + '{"Var":{"name":"f"}}' + '}}'.repeat(depth);
  }
}
function render(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001deep:(\w+):(\d+)"/g, (_m, kind: string, depth: string) => deepText(kind, Number(depth)));
}

const shallowValues: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    '9'.repeat(40), '1329227995784915872903807060280344576', 'x' + 'f'.repeat(31), 'x', '-1', ' 1', '1.5', '0x10',
    1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -1, 0.5,
    'a-b', 'abcdefghijklm', 'Name with spaces', '\u0000', '😀', '~~', '.', '', '~',
    'Add', 'Nope', 'f'.repeat(130), 'g'.repeat(130), 'f'.repeat(128), [], {}, [[]], { Var: {} },
  ),
  fc.string({ maxLength: 30 }),
);

/** Values put in place of a part of a valid statement: odd scalars and shapes, and nesting thousands deep. */
const replacement: fc.Arbitrary<Json> = fc.oneof(
  shallowValues,
  fc.integer({ min: 1990, max: 6000 }).map((d) => deep('lam', d)),
  fc.integer({ min: 100, max: 20_000 }).map((d) => deep('array', d)),
  fc.integer({ min: 100, max: 6000 }).map((d) => deep('app', d)),
);

/** Every path inside a JSON value (keys and indices). */
function paths(value: Json, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

type Mutation = { pick: number; kind: 'replace' | 'delete' | 'rename' | 'extra'; value: Json; key: string };

function mutate(root: Json, mutations: readonly Mutation[]): Json {
  let doc = structuredClone(root);
  for (const m of mutations) {
    const all = paths(doc);
    const path = all[m.pick % all.length]!;
    if (path.length === 0) { if (m.kind === 'replace') doc = m.value; continue; }
    let parent: any = doc;
    for (const p of path.slice(0, -1)) parent = parent[p];
    const last = path.at(-1)!;
    switch (m.kind) {
      case 'replace': parent[last] = m.value; break;
      case 'delete': if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last]; break;
      case 'rename': if (!Array.isArray(parent)) { parent[m.key] = parent[last]; delete parent[last]; } break;
      case 'extra': if (!Array.isArray(parent)) parent[m.key] = m.value; else parent.push(m.value); break;
    }
  }
  return doc;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('replace', 'replace', 'delete', 'rename', 'extra'),
  value: replacement,
  key: fc.oneof(fc.constantFrom('Run', 'Fun', 'Ctr', 'Reg', 'sign', 'init', 'expr', 'name', 'args', 'Nope', '__proto__', 'constructor'), fc.string({ maxLength: 8 })),
});

const validStatements = fc.array(arbStatement, { minLength: 1, maxLength: 3 }).map((ss) => ss.map(statementJson) as unknown as Json);

const mutatedStatements: fc.Arbitrary<string> = fc.tuple(validStatements, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([doc, ms]) => render(mutate(doc, ms)));

/** A JSON text cut or corrupted at a random place. */
const brokenJson: fc.Arbitrary<string> = fc.tuple(validStatements, fc.nat(), fc.constantFrom('', '{', ']', ',', '"', '\\', 'NaN', '\u0000'))
  .map(([doc, cut, junk]) => { const s = JSON.stringify(doc); const at = cut % (s.length + 1); return s.slice(0, at) + junk + s.slice(at + (cut % 3)); });

const bytes: fc.Arbitrary<Buffer> = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
const randomJson: fc.Arbitrary<string> = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));

const jsonBodies: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 1, arbitrary: bytes },
  { weight: 2, arbitrary: randomJson },
  { weight: 1, arbitrary: brokenJson },
  { weight: 4, arbitrary: mutatedStatements },
  { weight: 1, arbitrary: validStatements.map((v) => JSON.stringify(v)) },
);

/** Source text: valid statements printed, then cut or with junk, and random text. */
const sourceBodies: fc.Arbitrary<string | Buffer> = fc.oneof(
  bytes,
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.tuple(fc.array(arbStatement, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('', '{', '}', '(', ')', '#', '@', 'run', '\u0000', 'ask', '$$'))
    .map(([ss, cut, junk]) => { const s = ss.map((x) => printStatement(x)).join('\n'); const at = cut % (s.length + 1); return s.slice(0, at) + junk + s.slice(at); }),
  fc.integer({ min: 100, max: 4000 }).map((d) => `run { ${'('.repeat(d)} }`),
  jsonBodies,
);

const devnetBodies = (values: fc.Arbitrary<Json>): fc.Arbitrary<string | Buffer> => fc.oneof(
  jsonBodies,
  fc.record({ id: values }).map(render),
  fc.record({ blocks: values }).map(render),
  fc.constantFrom('', '{}', '{"blocks":0}', '{"id":"snap"}', '{"blocks":1}'),
);

/** How deep a JSON text nests (brackets and braces, ignoring strings roughly). */
function nesting(body: string | Buffer): number {
  const text = body.toString();
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

// --- the properties -------------------------------------------------------------------------

async function check(url: string, payload: string | Buffer): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
  if (res.statusCode >= 500 || res.statusCode < 200) {
    throw new Error(`${url} answered ${res.statusCode} ${res.body.slice(0, 300)} to ${String(payload).slice(0, 300)}`);
  }
  expect(res.headers['access-control-allow-origin']).toBe('*');
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body) as { message?: unknown };
    expect(typeof body.message).toBe('string');
  } else {
    JSON.parse(res.body);
  }
  return res.statusCode;
}

const statuses = new Map<string, number>();
const count = (url: string, status: number) => statuses.set(`${url} ${status}`, (statuses.get(`${url} ${status}`) ?? 0) + 1);

const RUNS: ReadonlyArray<[string, fc.Arbitrary<string | Buffer>, number]> = [
  ['/run', jsonBodies, 2500],
  ['/publish', jsonBodies, 2000],
  ['/code/run', sourceBodies, 1500],
  ['/code/publish', sourceBodies, 1500],
  ['/devnet/snapshot', devnetBodies(replacement), 500],
  ['/devnet/revert', devnetBodies(replacement), 1000],
  // Without bodies nested over 3000 deep: those hit the bug below.
  ['/devnet/mine', devnetBodies(shallowValues).filter((b) => nesting(b) <= 3000), 1000],
];

test('the runs add up to 10,000 bodies', () => {
  expect(RUNS.reduce((n, [, , runs]) => n + runs, 0)).toBe(10_000);
});

for (const [url, bodies, numRuns] of RUNS) {
  test(`POST ${url}: ${numRuns} bodies, only 2xx/4xx`, async () => {
    await fc.assert(fc.asyncProperty(bodies, async (payload) => {
      count(url, await check(url, payload));
    }), { numRuns });
    if (url === '/run' || url === '/code/run') expect(t.node.chain.runtime.checksum()).toBe(checksum);
  });
}

// BUG routes.ts:284 (`/devnet/mine`): the 400 message is built with `JSON.stringify(blocks)`, which
// overflows the stack for a value nested ~5000 deep (JSON.parse reads it fine), so the answer is
// 500 `INTERNAL_SERVER_ERROR: Maximum call stack size exceeded` instead of 400. (It also echoes a
// value of any size in full.) Found by the property above with deep values.
test('POST /devnet/mine with "blocks" nested 10,000 deep: 400, not 500', async () => {
  const res = await t.post('/devnet/mine', `{"blocks":${deepText('array', 10_000)}}`);
  expect(res.statusCode).toBe(400);
});

test('the fuzzing reached both accepting and refusing answers on the statement routes', () => {
  for (const url of ['/run', '/publish', '/code/run']) {
    expect(statuses.get(`${url} 200`) ?? 0).toBeGreaterThan(0);
  }
  for (const url of ['/run', '/publish', '/devnet/revert', '/devnet/mine']) {
    expect(statuses.get(`${url} 400`) ?? 0).toBeGreaterThan(0);
  }
  expect(devnetCalls.mine).toBeGreaterThan(0);
});

test('afterwards: the state is unchanged (nothing was mined) and the node answers /stats', async () => {
  expect(t.node.chain.runtime.checksum()).toBe(checksum);
  expect(t.node.chain.height).toBe(0);
  expect(jsonBody<{ tick: number }>(await t.get('/stats')).tick).toBe(0);
  expect((await t.post('/run', '[]')).statusCode).toBe(200);
});
