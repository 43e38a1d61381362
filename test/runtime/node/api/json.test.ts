/**
 * The API's JSON encodings (kindelia-node.md §8.2): exact shapes of every term and statement
 * form, the original's defective block time, stats, peers; decoders that round-trip the
 * encoders and reject every malformed input with a message naming its JSON path.
 */
import fc from 'fast-check';
import type { StatementOutcome } from '../../../../runtime/hvm/index.js';
import {
  App, Ctr, Dup, Fun, Lam, NONE_NAME, Num, Op2, Oper, U120_LIMIT, Var,
  decodeTerm, encodeBlockBody, encodeTransaction, nameFromText, statementEquals, termEquals,
  type Statement, type Term,
} from '../../../../runtime/kdl/index.js';
import { hexToBytes } from '../../../../runtime/crypto/index.js';
import { blockHash, genesisBlock, type Block } from '../../../../runtime/node/block/index.js';
import type { ChainBlock } from '../../../../runtime/node/chain/index.js';
import { chainParams } from '../../../../runtime/node/params.js';
import {
  JsonShapeError, MAX_JSON_TERM_DEPTH, HashTextError,
  blockInfoJson, blockReprJson, blockTimeJson, funcJson, hashFromText, nameFromJson, nameJson, peerJson,
  statementFromJson, statementInfoJson, statementJson, statementResultJson, statementsFromJson, statsJson,
  termFromJson, termHexJson, termJson, u120FromJson, u120Json,
} from '../../../../runtime/node/api/json.js';
import { statement as arbStatement, term as arbTerm } from '../../kdl/arbitraries.js';

const n = nameFromText;
const SIG = new Uint8Array(65).map((_, i) => i);
const SIG_HEX = Array.from(SIG, (b) => b.toString(16).padStart(2, '0')).join('');

/** The message of what `f` throws, checking it is a JsonShapeError. */
function shapeError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(JsonShapeError);
    return (e as Error).message;
  }
  throw new Error('expected a JsonShapeError');
}

describe('scalars', () => {
  test('names: text, NONE as "~", empty as ""', () => {
    expect(nameJson(n('Foo.bar_9'))).toBe('Foo.bar_9');
    expect(nameJson(NONE_NAME)).toBe('~');
    expect(nameJson(0n)).toBe('');
    expect(nameFromJson('~')).toBe(NONE_NAME);
    expect(nameFromJson('')).toBe(0n);
    expect(nameFromJson('Foo.bar_9')).toBe(n('Foo.bar_9'));
  });

  test('U120: decimal strings out; decimal and x<hex> in', () => {
    expect(u120Json(42n)).toBe('42');
    expect(u120Json((1n << 120n) - 1n)).toBe('1329227995784915872903807060280344575');
    expect(u120FromJson('42')).toBe(42n);
    expect(u120FromJson('007')).toBe(7n);
    expect(u120FromJson('x2A')).toBe(42n);
    expect(u120FromJson('x' + 'f'.repeat(30))).toBe(U120_LIMIT - 1n);
    expect(u120FromJson('1329227995784915872903807060280344575')).toBe(U120_LIMIT - 1n);
  });

  test('U120 rejections name the path and the value', () => {
    const expected = 'expected a decimal string or "x<hex>" below 2^120';
    expect(shapeError(() => u120FromJson('abc', '$.n'))).toBe(`$.n: ${expected}, got "abc"`);
    expect(shapeError(() => u120FromJson('1329227995784915872903807060280344576'))).toBe(`$: ${expected}, got "1329227995784915872903807060280344576"`);
    expect(shapeError(() => u120FromJson('1' + '0'.repeat(80)))).toContain(expected);
    expect(shapeError(() => u120FromJson('x' + '1'.repeat(31)))).toContain(expected);
    expect(shapeError(() => u120FromJson('x'))).toBe(`$: ${expected}, got "x"`);
    expect(shapeError(() => u120FromJson(42))).toBe(`$: ${expected}, got 42`);
    expect(shapeError(() => u120FromJson('-1'))).toContain('got "-1"');
    expect(shapeError(() => u120FromJson(' 1'))).toContain('got " 1"');
    expect(shapeError(() => u120FromJson(null))).toBe(`$: ${expected}, got null`);
    // Long values are shown shortened.
    expect(shapeError(() => u120FromJson('z'.repeat(1000)))).toContain('(1000 characters)');
  });

  test('bad names: wrong type, bad character, too long', () => {
    expect(shapeError(() => nameFromJson(3, '$.x'))).toBe('$.x: expected a name (a string), got 3');
    expect(shapeError(() => nameFromJson('a-b', '$.x'))).toMatch(/^\$\.x: invalid name "a-b": '-' is not a name character/);
    expect(shapeError(() => nameFromJson('abcdefghijklm'))).toMatch(/^\$: invalid name "abcdefghijklm": Identifier too long/);
  });
});

describe('block time: the original renders milliseconds as microseconds', () => {
  test('the spec examples', () => {
    expect(blockTimeJson(1672531200000n)).toBe('1970-01-20T08:35:31.200+00:00');
    expect(blockTimeJson(0n)).toBe('1970-01-01T00:00:00+00:00');
  });

  test('fraction digits 0, 3 or 6 as needed', () => {
    expect(blockTimeJson(1_000_000n)).toBe('1970-01-01T00:00:01+00:00');
    expect(blockTimeJson(1_001_000n)).toBe('1970-01-01T00:00:01.001+00:00');
    expect(blockTimeJson(1_000_001n)).toBe('1970-01-01T00:00:01.000001+00:00');
    expect(blockTimeJson(1n)).toBe('1970-01-01T00:00:00.000001+00:00');
    // Year 10000 and later carry a sign, as chrono writes them.
    expect(blockTimeJson(253402300800000000n)).toBe('+10000-01-01T00:00:00+00:00');
    expect(blockTimeJson(253402300799999999n)).toBe('9999-12-31T23:59:59.999999+00:00');
  });

  test('agrees with Date for any microsecond count', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 253402300799999999n }), (us) => {
      const iso = new Date(Number(us / 1000n)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
      const micros = us % 1_000_000n;
      const fraction = micros === 0n ? '' : micros % 1000n === 0n ? iso.slice(19, 23) : `${iso.slice(19, 23)}${String(micros % 1000n).padStart(3, '0')}`;
      expect(blockTimeJson(us)).toBe(`${iso.slice(0, 19)}${fraction}+00:00`);
    }), { numRuns: 200 });
  });
});

describe('terms: every tag in its exact shape', () => {
  const cases: Array<[Term, unknown]> = [
    [Var(n('x')), { Var: { name: 'x' } }],
    [Var(NONE_NAME), { Var: { name: '~' } }],
    [Dup(n('a'), n('b'), Var(n('x')), Num(1n)), { Dup: { nam0: 'a', nam1: 'b', expr: { Var: { name: 'x' } }, body: { Num: { numb: '1' } } } }],
    [Lam(n('x'), Var(n('x'))), { Lam: { name: 'x', body: { Var: { name: 'x' } } } }],
    [App(Var(n('f')), Num(2n)), { App: { func: { Var: { name: 'f' } }, argm: { Num: { numb: '2' } } } }],
    [Ctr(n('Pair'), [Num(1n), Num(2n)]), { Ctr: { name: 'Pair', args: [{ Num: { numb: '1' } }, { Num: { numb: '2' } }] } }],
    [Ctr(n('Nil'), []), { Ctr: { name: 'Nil', args: [] } }],
    [Fun(n('Add'), [Num(1n)]), { Fun: { name: 'Add', args: [{ Num: { numb: '1' } }] } }],
    [Num(U120_LIMIT - 1n), { Num: { numb: '1329227995784915872903807060280344575' } }],
    [Op2(Oper.ADD, Num(1n), Num(2n)), { Op2: { oper: 'Add', val0: { Num: { numb: '1' } }, val1: { Num: { numb: '2' } } } }],
  ];
  test.each(cases.map(([t, j]) => [JSON.stringify(j), t, j] as const))('%s', (_, term, json) => {
    expect(termJson(term)).toEqual(json);
    expect(termEquals(termFromJson(json), term)).toBe(true);
  });

  test('operator names by code', () => {
    const names = ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'And', 'Or', 'Xor', 'Shl', 'Shr', 'Ltn', 'Lte', 'Eql', 'Gte', 'Gtn', 'Neq'];
    names.forEach((name, code) => {
      const json = termJson(Op2(code as Oper, Num(0n), Num(0n))) as { Op2: { oper: string } };
      expect(json.Op2.oper).toBe(name);
    });
  });

  test('JSON text keeps the field order of the original', () => {
    expect(JSON.stringify(termJson(Dup(n('a'), n('b'), Num(1n), Num(2n)))))
      .toBe('{"Dup":{"nam0":"a","nam1":"b","expr":{"Num":{"numb":"1"}},"body":{"Num":{"numb":"2"}}}}');
  });

  test('a very deep term encodes without recursion', () => {
    let t: Term = Num(0n);
    for (let i = 0; i < 100_000; i++) t = Lam(n('x'), t);
    let json = termJson(t) as unknown;
    let depth = 0;
    while ((json as { Lam?: { body: unknown } }).Lam !== undefined) { json = (json as { Lam: { body: unknown } }).Lam.body; depth++; }
    expect(depth).toBe(100_000);
    expect(json).toEqual({ Num: { numb: '0' } });
  });

  test('protocol form: hex of the bit-stream encoding', () => {
    const t = Lam(n('x'), Lam(n('y'), Op2(Oper.ADD, Var(n('x')), Var(n('y')))));
    const hex = termHexJson(t);
    expect(hex).toMatch(/^[0-9a-f]+$/);
    expect(hex.length).toBe(12); // 43 bits → 6 bytes
    expect(termEquals(decodeTerm(hexToBytes(hex)), t)).toBe(true);
  });
});

describe('statements: every tag in its exact shape', () => {
  const rules = [{ lhs: Fun(n('Id'), [Var(n('x'))]), rhs: Var(n('x')) }];
  const cases: Array<[Statement, unknown]> = [
    [
      { tag: 'Fun', name: n('Id'), args: [n('x')], rules, init: null, sign: null },
      { Fun: { name: 'Id', args: ['x'], func: { rules: [{ lhs: { Fun: { name: 'Id', args: [{ Var: { name: 'x' } }] } }, rhs: { Var: { name: 'x' } } }] }, init: null, sign: null } },
    ],
    [
      { tag: 'Fun', name: n('Id'), args: [], rules: [], init: Num(0n), sign: SIG },
      { Fun: { name: 'Id', args: [], func: { rules: [] }, init: { Num: { numb: '0' } }, sign: SIG_HEX } },
    ],
    [{ tag: 'Ctr', name: n('Pair'), args: [n('a'), n('b')], sign: null }, { Ctr: { name: 'Pair', args: ['a', 'b'], sign: null } }],
    [{ tag: 'Run', expr: Num(7n), sign: SIG }, { Run: { expr: { Num: { numb: '7' } }, sign: SIG_HEX } }],
    [{ tag: 'Reg', name: 0n, ownr: 12345678901234567890123n, sign: null }, { Reg: { name: '', ownr: '12345678901234567890123', sign: null } }],
  ];
  test.each(cases.map(([st, j]) => [JSON.stringify(j), st, j] as const))('%s', (_, statement, json) => {
    expect(statementJson(statement)).toEqual(json);
    expect(statementEquals(statementFromJson(json), statement)).toBe(true);
  });

  test('func', () => {
    expect(funcJson(rules)).toEqual({ rules: [{ lhs: { Fun: { name: 'Id', args: [{ Var: { name: 'x' } }] } }, rhs: { Var: { name: 'x' } } }] });
  });

  test('a missing sign or init reads as null; signatures in either case', () => {
    expect(statementFromJson({ Run: { expr: { Num: { numb: '1' } } } })).toEqual({ tag: 'Run', expr: Num(1n), sign: null });
    const fun = statementFromJson({ Fun: { name: 'F', args: [], func: { rules: [] } } });
    expect(fun).toEqual({ tag: 'Fun', name: n('F'), args: [], rules: [], init: null, sign: null });
    const signed = statementFromJson({ Ctr: { name: 'C', args: [], sign: SIG_HEX.toUpperCase() } });
    expect(signed.sign).toEqual(SIG);
  });

  test('round trip: statementFromJson(statementJson(s)) equals s, also through JSON text', () => {
    fc.assert(fc.property(arbStatement, (s) => {
      const json = statementJson(s);
      expect(statementEquals(statementFromJson(json), s)).toBe(true);
      expect(statementEquals(statementFromJson(JSON.parse(JSON.stringify(json))), s)).toBe(true);
    }), { numRuns: 200 });
  });

  test('round trip of terms', () => {
    fc.assert(fc.property(arbTerm, (t) => {
      expect(termEquals(termFromJson(JSON.parse(JSON.stringify(termJson(t)))), t)).toBe(true);
    }), { numRuns: 200 });
  });

  test('statementsFromJson: an array of statements with indexed paths', () => {
    const list = statementsFromJson([{ Run: { expr: { Num: { numb: '1' } }, sign: null } }, { Ctr: { name: 'A', args: [], sign: null } }]);
    expect(list.map((s) => s.tag)).toEqual(['Run', 'Ctr']);
    expect(shapeError(() => statementsFromJson({}))).toBe('$: expected an array of statements, got an object');
    expect(shapeError(() => statementsFromJson([{ Run: { expr: { Num: { numb: 'abc' } } } }])))
      .toBe('$[0].Run.expr.Num.numb: expected a decimal string or "x<hex>" below 2^120, got "abc"');
  });
});

describe('decoder errors name the place and the reason', () => {
  const run = (expr: unknown) => ({ Run: { expr, sign: null } });

  test('wrong types', () => {
    expect(shapeError(() => statementFromJson('Run'))).toBe('$: expected a statement (an object with one key: Fun, Ctr, Run, Reg), got "Run"');
    expect(shapeError(() => statementFromJson([]))).toContain('$: expected a statement');
    expect(shapeError(() => statementFromJson(null))).toContain('got null');
    expect(shapeError(() => statementFromJson({ Run: 5 }))).toMatch(/^\$\.Run: expected a Run statement \(an object with fields expr, sign\), got 5$/);
    expect(shapeError(() => statementFromJson(run({ Var: { name: 5 } })))).toBe('$.Run.expr.Var.name: expected a name (a string), got 5');
    expect(shapeError(() => statementFromJson(run({ Ctr: { name: 'A', args: {} } })))).toBe('$.Run.expr.Ctr.args: expected an array of terms, got an object');
    expect(shapeError(() => statementFromJson({ Ctr: { name: 'A', args: 'x', sign: null } }))).toBe('$.Ctr.args: expected an array of names, got "x"');
    expect(shapeError(() => statementFromJson({ Ctr: { name: 'A', args: ['a', 7], sign: null } }))).toBe('$.Ctr.args[1]: expected a name (a string), got 7');
    expect(shapeError(() => statementFromJson({ Fun: { name: 'F', args: [], func: [], init: null, sign: null } }))).toContain('$.Fun.func: expected a Func');
    expect(shapeError(() => statementFromJson({ Fun: { name: 'F', args: [], func: { rules: [{ lhs: { Num: { numb: '1' } } }] } } })))
      .toBe('$.Fun.func.rules[0]: missing field "rhs" in a rule');
  });

  test('unknown tags and fields, missing fields', () => {
    expect(shapeError(() => statementFromJson({ Foo: {} }))).toBe('$: unknown statement tag "Foo" (expected one of Fun, Ctr, Run, Reg)');
    expect(shapeError(() => statementFromJson(run({ Era: {} })))).toBe('$.Run.expr: unknown term tag "Era" (expected one of Var, Dup, Lam, App, Ctr, Fun, Num, Op2)');
    expect(shapeError(() => statementFromJson({ Run: { expr: { Num: { numb: '1' } }, sign: null, extra: 1 } })))
      .toBe('$.Run: unknown field "extra" in a Run statement (expected expr, sign)');
    expect(shapeError(() => statementFromJson(run({ Lam: { name: 'x' } })))).toBe('$.Run.expr.Lam: missing field "body" in a Lam');
    expect(shapeError(() => statementFromJson(run({ Op2: { oper: 'Pow', val0: { Num: { numb: '1' } }, val1: { Num: { numb: '1' } } } }))))
      .toBe('$.Run.expr.Op2.oper: expected an operator (Add, Sub, Mul, Div, Mod, And, Or, Xor, Shl, Shr, Ltn, Lte, Eql, Gte, Gtn, Neq), got "Pow"');
    expect(shapeError(() => termFromJson({ 'a b': 1 }))).toBe('$: unknown term tag "a b" (expected one of Var, Dup, Lam, App, Ctr, Fun, Num, Op2)');
  });

  test('two keys (or none) in a tagged object', () => {
    expect(shapeError(() => statementFromJson({ Run: {}, Reg: {} })))
      .toBe('$: expected a statement (an object with exactly one key: Fun, Ctr, Run, Reg), got 2 keys ("Run", "Reg")');
    expect(shapeError(() => termFromJson({}))).toBe('$: expected a term (an object with exactly one key: Var, Dup, Lam, App, Ctr, Fun, Num, Op2), got no keys');
  });

  test('bad numbers, numbers ≥ 2^120, bad names', () => {
    expect(shapeError(() => statementFromJson(run({ Num: { numb: 'abc' } }), '$[0]')))
      .toBe('$[0].Run.expr.Num.numb: expected a decimal string or "x<hex>" below 2^120, got "abc"');
    expect(shapeError(() => statementFromJson(run({ Num: { numb: U120_LIMIT.toString() } }))))
      .toBe(`$.Run.expr.Num.numb: expected a decimal string or "x<hex>" below 2^120, got "${U120_LIMIT}"`);
    expect(shapeError(() => statementFromJson({ Reg: { name: 'A', ownr: 5, sign: null } })))
      .toBe('$.Reg.ownr: expected a decimal string or "x<hex>" below 2^120, got 5');
    expect(shapeError(() => statementFromJson({ Ctr: { name: 'Bad!', args: [], sign: null } }))).toMatch(/^\$\.Ctr\.name: invalid name "Bad!": /);
    expect(shapeError(() => statementFromJson(run({ Dup: { nam0: 'a', nam1: 'waytoolongname', expr: { Num: { numb: '1' } }, body: { Num: { numb: '1' } } } }))))
      .toMatch(/^\$\.Run\.expr\.Dup\.nam1: invalid name "waytoolongname": Identifier too long/);
  });

  test('bad signatures', () => {
    expect(shapeError(() => statementFromJson({ Run: { expr: { Num: { numb: '1' } }, sign: SIG_HEX.slice(2) } })))
      .toBe('$.Run.sign: expected a signature of 130 hex digits (65 bytes), got 128 digits');
    expect(shapeError(() => statementFromJson({ Run: { expr: { Num: { numb: '1' } }, sign: SIG_HEX + '00' } })))
      .toBe('$.Run.sign: expected a signature of 130 hex digits (65 bytes), got 132 digits');
    expect(shapeError(() => statementFromJson({ Run: { expr: { Num: { numb: '1' } }, sign: 'zz' + SIG_HEX.slice(2) } })))
      .toContain('$.Run.sign: expected a signature (130 hex digits) or null, got non-hex text');
    expect(shapeError(() => statementFromJson({ Run: { expr: { Num: { numb: '1' } }, sign: 17 } })))
      .toBe('$.Run.sign: expected a signature (130 hex digits) or null, got 17');
  });

  test('too deep: a clear error, never a stack overflow', () => {
    const nest = (levels: number): unknown => {
      let json: unknown = { Num: { numb: '0' } };
      for (let i = 1; i < levels; i++) json = { Lam: { name: 'x', body: json } };
      return json;
    };
    expect(termFromJson(nest(MAX_JSON_TERM_DEPTH))).toBeDefined();
    const message = shapeError(() => statementFromJson(run(nest(MAX_JSON_TERM_DEPTH + 1)), '$[3]'));
    expect(message).toMatch(/^\$\[3\]\.Run\.expr\.Lam\.body.*…\(\d+ more\)….*\.Lam\.body: term nested deeper than 2000 levels$/);
    expect(message.length).toBeLessThan(400);
    // Far deeper input (as JSON.parse builds it without recursion) fails the same way.
    const deep = JSON.parse('{"Lam":{"name":"x","body":'.repeat(100_000) + '{"Num":{"numb":"0"}}' + '}}'.repeat(100_000));
    expect(shapeError(() => termFromJson(deep))).toContain('term nested deeper than 2000 levels');
  });
});

describe('statement results', () => {
  const base = { tick: 3 } as const;
  const ctr: Statement = { tag: 'Ctr', name: n('Pair'), args: [n('a'), n('b')], sign: null };
  const fun: Statement = { tag: 'Fun', name: n('Id'), args: [n('x')], rules: [], init: null, sign: null };
  const reg: Statement = { tag: 'Reg', name: n('Foo'), ownr: (1n << 119n) + 5n, sign: null };
  const runS: Statement = { tag: 'Run', expr: Num(1n), sign: null };
  const ok = (kind: 'ctr' | 'fun' | 'reg', name: bigint): StatementOutcome => ({ ok: true, kind, name, ...base });
  const runOk: StatementOutcome = {
    ok: true, kind: 'run', result: Ctr(n('T'), [Num(2n)]), text: '{T #2}', resultTooLarge: false, usedMana: 1234, sizeDiff: -3, endSize: 40, ...base,
  };

  test('StatementInfo of each kind', () => {
    expect(statementInfoJson(ok('ctr', ctr.name) as never, ctr)).toEqual({ Ctr: { name: 'Pair', args: ['a', 'b'] } });
    expect(statementInfoJson(ok('fun', fun.name) as never, fun)).toEqual({ Fun: { name: 'Id', args: ['x'] } });
    expect(statementInfoJson(ok('reg', reg.name) as never, reg)).toEqual({ Reg: { name: 'Foo', ownr: ((1n << 119n) + 5n).toString() } });
    expect(statementInfoJson(runOk as never, runS)).toEqual({
      Run: { done_term: { Ctr: { name: 'T', args: [{ Num: { numb: '2' } }] } }, used_mana: '1234', size_diff: '-3', end_size: '40' },
    });
  });

  test('Ok / Err wrappers', () => {
    expect(statementResultJson(ok('ctr', ctr.name), ctr)).toEqual({ Ok: { Ctr: { name: 'Pair', args: ['a', 'b'] } } });
    const failure: StatementOutcome = { ok: false, tag: 'run', error: 'Not enough mana', divergence: false, ...base };
    expect(statementResultJson(failure, runS)).toEqual({ Err: { err: 'Not enough mana' } });
  });

  test('an outcome paired with another statement is a programming error', () => {
    expect(() => statementInfoJson(ok('ctr', n('Other')) as never, ctr)).toThrow(/does not belong/);
    expect(() => statementInfoJson(ok('fun', ctr.name) as never, ctr)).toThrow(/does not belong/);
  });
});

describe('blocks', () => {
  const genesis = genesisBlock(chainParams());
  const genesisHash = blockHash(genesis);

  test('BlockRepr of the first block after genesis (§10.6 vector)', () => {
    const block: Block = { prev: genesisHash, time: 1672531200000n, meta: 530n, body: new Uint8Array([0]) };
    const repr = blockReprJson(block);
    expect(repr).toEqual({ time: '1970-01-20T08:35:31.200+00:00', time_ms: '1672531200000', meta: '530', prev: repr.prev, body: [] });
    expect(repr.prev).toMatch(/^0x42babdc2[0-9a-f]{52}7d83$/);
    const info = blockInfoJson({ block, hash: blockHash(block), height: 1, work: 0n, target: 0n }, []);
    expect(info.hash).toMatch(/^0xffe76e9e[0-9a-f]{52}5c3d$/);
    expect(JSON.stringify(info)).toMatch(/^\{"block":\{"time":"1970-01-20T08:35:31.200\+00:00","time_ms":"1672531200000","meta":"530","prev":"0x42babdc2[0-9a-f]+","body":\[\]\},"hash":"0xffe76e9e[0-9a-f]+","height":1,"results":\[\]\}$/);
  });

  test('genesis: time at the epoch, prev zero', () => {
    const repr = blockReprJson(genesis);
    expect(repr.time).toBe('1970-01-01T00:00:00+00:00');
    expect(repr.time_ms).toBe('0');
    expect(repr.prev).toBe('0x' + '0'.repeat(64));
    expect(repr.body.length).toBeGreaterThan(0);
    for (const tx of repr.body) expect(tx.length % 10).toBe(0); // normalized: multiples of 5 bytes
  });

  test('body: hex of each normalized transaction; results paired with the decodable statements', () => {
    const a: Statement = { tag: 'Ctr', name: n('A'), args: [], sign: null };
    const b: Statement = { tag: 'Run', expr: Num(9n), sign: null };
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]); // tag 15: does not decode, skipped
    const block: Block = { prev: 1n, time: 5n, meta: 0n, body: encodeBlockBody([encodeTransaction(a), garbage, encodeTransaction(b)]) };
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    expect(blockReprJson(block).body).toEqual([hex(encodeTransaction(a)), 'ffffffffff', hex(encodeTransaction(b))]);
    const chainBlock: ChainBlock = { block, hash: 0xabcn, height: 7, work: 0n, target: 0n };
    const outcomes: StatementOutcome[] = [
      { ok: true, kind: 'ctr', name: n('A'), tick: 7 },
      { ok: false, tag: 'run', error: 'boom', divergence: false, tick: 7 },
    ];
    const info = blockInfoJson(chainBlock, outcomes);
    expect(info.hash).toBe('0x' + 'abc'.padStart(64, '0'));
    expect(info.height).toBe(7);
    expect(info.results).toEqual([{ Ok: { Ctr: { name: 'A', args: [] } } }, { Err: { err: 'boom' } }]);
    expect(blockInfoJson(chainBlock, null).results).toBeNull();
  });
});

describe('stats and peers', () => {
  test('stats: limits from the tick, numbers as numbers', () => {
    expect(statsJson({ tick: 10, manaUsed: 1_000, sizeUsed: 50, funCount: 3, ctrCount: 4, regCount: 2 })).toEqual({
      tick: 10,
      mana: { limit: 44_000_000, used: 1_000, available: 43_999_000 },
      space: { limit: 176, used: 50, available: 126 },
      fun_count: 3, ctr_count: 4, reg_count: 2,
    });
    expect(JSON.stringify(statsJson({ tick: 0, manaUsed: 0, sizeUsed: 0, funCount: 0, ctrCount: 0, regCount: 0 })))
      .toBe('{"tick":0,"mana":{"limit":4000000,"used":0,"available":4000000},"space":{"limit":16,"used":0,"available":16},"fun_count":0,"ctr_count":0,"reg_count":0}');
  });

  test('peer', () => {
    expect(JSON.stringify(peerJson({ host: '10.0.1.255', port: 42000 }, 1700000000123)))
      .toBe('{"seen_at":1700000000123,"address":{"IPv4":{"val0":10,"val1":0,"val2":1,"val3":255,"port":42000}}}');
    expect(() => peerJson({ host: 'localhost', port: 1 }, 0)).toThrow(RangeError);
  });
});

describe('hashFromText (/blocks/{hash})', () => {
  const hex = '42babdc2' + '0'.repeat(52) + '7d83';
  const message = (text: string) => {
    try { hashFromText(text); } catch (e) { expect(e).toBeInstanceOf(HashTextError); return (e as Error).message; }
    throw new Error('expected a HashTextError');
  };

  test('64 hex digits, optional 0x, either case', () => {
    expect(hashFromText(hex)).toBe(BigInt('0x' + hex));
    expect(hashFromText('0x' + hex)).toBe(BigInt('0x' + hex));
    expect(hashFromText('0x' + hex.toUpperCase())).toBe(BigInt('0x' + hex));
  });

  test('not hex: the text after the prefix, quoted', () => {
    expect(message('0xzz')).toBe('Invalid block hash: Invalid hexadecimal string: "zz"');
    expect(message('g' + hex.slice(1))).toBe(`Invalid block hash: Invalid hexadecimal string: "g${hex.slice(1)}"`);
    expect(message('a"b\\c\n')).toBe('Invalid block hash: Invalid hexadecimal string: "a\\"b\\\\c\\n"');
  });

  test('wrong length: unquoted', () => {
    expect(message('0x' + hex.slice(1))).toBe(`Invalid block hash: Invalid hexadecimal string: ${hex.slice(1)}`);
    expect(message(hex + '00')).toBe(`Invalid block hash: Invalid hexadecimal string: ${hex}00`);
    expect(message('')).toBe('Invalid block hash: Invalid hexadecimal string: ');
  });
});
