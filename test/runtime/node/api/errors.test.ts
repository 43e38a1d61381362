/**
 * The server's error handling (§8.1 with its [REC]): unknown paths 404 for every method,
 * wrong methods 405 with `allow`, malformed or mis-shaped bodies 400, bodies over the limit
 * 413, CORS on success and on error, OPTIONS preflight; every error a JSON `{"message"}`.
 */
import { errorMessage, harness, jsonBody, type Harness } from './helpers.js';

let t: Harness;
beforeEach(() => { t = harness({ bodyLimit: 4096 }); });
afterEach(async () => { await t.close(); });

const POST_ROUTES = ['/run', '/publish', '/code/run', '/code/publish'];

test('an unknown path is 404 NOT_FOUND for GET and POST (the original: 500 for GET)', async () => {
  for (const url of ['/nope', '/blocks/x/y', '/functions/Count/other', '/run/extra', '/devnet/mine']) {
    expect(errorMessage(await t.get(url), 404)).toBe('NOT_FOUND');
    expect(errorMessage(await t.post(url, '[]'), 404)).toBe('NOT_FOUND');
  }
});

test('a wrong method on a POST route: 405 with allow: POST, OPTIONS', async () => {
  for (const url of POST_ROUTES) {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await t.app.inject({ method, url });
      expect(errorMessage(res, 405)).toBe(`${method} is not allowed on ${url}: use POST`);
      expect(res.headers.allow).toBe('POST, OPTIONS');
    }
  }
});

test('GET routes accept any method', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    expect((await t.app.inject({ method, url: '/stats' })).statusCode).toBe(200);
  }
});

test('malformed JSON: 400 with the parser reason', async () => {
  for (const url of ['/run', '/publish']) {
    for (const payload of ['{', '[', '[{"Run":', 'nul', "['x']", '[1,]']) {
      expect(errorMessage(await t.post(url, payload), 400)).toMatch(/^Parameter is invalid: the body is not valid JSON: /);
    }
  }
});

test('a JSON body that is not an array: 400 naming $', async () => {
  for (const url of ['/run', '/publish']) {
    for (const [payload, got] of [['{}', 'an object'], ['null', 'null'], ['"x"', '"x"'], ['42', '42'], ['true', 'true']] as const) {
      expect(errorMessage(await t.post(url, payload), 400)).toBe(`Parameter is invalid: $: expected an array of statements, got ${got}`);
    }
  }
});

test('an empty body to /run or /publish: 400', async () => {
  for (const url of ['/run', '/publish']) {
    expect(errorMessage(await t.post(url, ''), 400)).toMatch(/^Parameter is invalid: the request has no body/);
    expect(errorMessage(await t.post(url, '   '), 400)).toMatch(/^Parameter is invalid: the request has no body/);
  }
});

test('a body over bodyLimit: 413 on every POST route, nothing admitted', async () => {
  const big = JSON.stringify([{ Run: { expr: { Num: { numb: '1'.repeat(5000) } }, sign: null } }]);
  for (const url of POST_ROUTES) {
    expect(errorMessage(await t.post(url, big), 413)).toBe('Parameter is invalid: the body is larger than 4096 bytes');
  }
  expect(t.node.mempool.size).toBe(0);
  // Just under the limit is read (and refused for its content).
  const under = JSON.stringify([{ Run: { expr: { Num: { numb: '1'.repeat(4000) } }, sign: null } }]);
  expect(Buffer.byteLength(under)).toBeLessThan(4096);
  expect((await t.post('/run', under)).statusCode).toBe(400);
});

test('CORS header on successes, errors (400, 404, 405, 413, 418) and the favicon', async () => {
  const responses = [
    await t.get('/'), await t.get('/stats'), await t.get('/favicon.ico'), await t.post('/run', '[]'),
    await t.get('/nope'), await t.get('/run'), await t.post('/run', '{'), await t.post('/run', 'x'.repeat(5000)),
    await t.get('/functions/If/state'), await t.get('/events'),
  ];
  expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 204, 200, 404, 405, 400, 413, 418, 426]);
  for (const r of responses) expect(r.headers['access-control-allow-origin']).toBe('*');
});

test('OPTIONS preflight on any path: 204 with the allowed methods and headers', async () => {
  for (const url of ['/run', '/stats', '/publish', '/anything']) {
    const res = await t.app.inject({
      method: 'OPTIONS', url,
      headers: { origin: 'http://example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('content-type');
  }
});

test('GET /events without an upgrade: 426 with upgrade: websocket', async () => {
  const res = await t.get('/events');
  expect(errorMessage(res, 426)).toMatch(/WebSocket/);
  expect(res.headers.upgrade).toBe('websocket');
});

test('the error body is exactly {"message"} (plus path for 404)', async () => {
  expect(jsonBody(await t.post('/run', '{'), 400)).toEqual({ message: expect.any(String) });
  expect(jsonBody(await t.get('/nope'), 404)).toEqual({ message: 'NOT_FOUND', path: '/nope' });
});
