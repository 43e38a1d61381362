/** Statements: namespaces, signatures, indices, genesis (spec §12, §17.6). */
import { nameFromText, parseStatements, type Statement } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcome, formatOutcomeLine, genesis } from '../../../runtime/hvm/index.js';
import { parse, run, signed } from './helpers.js';

const ALICE = '#x2b5ad5c4795c026514f8317c7a215e';
const BOB = '#x6813eb9362372eef6200f3b1dbc3f8';

function runList(statements: Statement[], options: { sudo?: boolean; fresh?: boolean } = {}): string[] {
  const rt = new Runtime({ genesis: !options.fresh });
  return rt.runStatements(statements, { sudo: options.sudo ?? false }).map((o) => formatOutcome(o, false));
}

describe('genesis (spec §12.8)', () => {
  test('loads silently with no mana and no size; indices follow the statement order', () => {
    const rt = new Runtime();
    expect(rt.stats()).toMatchObject({ tick: 0, size: 0, mana: 0, rwts: 0 });
    expect(rt.indexOf(nameFromText('T2'))).toBe(2n);
    expect(rt.indexOf(nameFromText('Count'))).toBe(54n);
    expect(rt.indexOf(0n)).toBe(55n);
    expect(genesis()).toHaveLength(56);
  });

  test('a fresh runtime has no genesis names', () => {
    expect(runList(parse('run { (Done #1) }'), { fresh: true })).toEqual(["[run] ERROR: 'Done' is not defined."]);
    expect(runList(parse('ctr {DONE x}\nrun { {DONE #1} }'), { fresh: true })).toEqual(['[ctr] DONE', '[run] #1 [0 mana | 0 size]']);
  });
});

describe('signatures and subjects (spec §6.4, §17.6)', () => {
  test.each([
    [1, '656161725219724531611238334681629285'],
    [2, '225111118185718227719509163399323998'],
    [3, '540402903301314077240655651075245048'],
  ])('a run signed with key %i sees its subject', (key, subject) => {
    expect(runList(signed('run { ask x = (Subj); (Done x) }', key))).toEqual([`[run] #${subject} [12 mana | 0 size]`]);
  });

  test('an unsigned run has subject 0; an unrecoverable signature gives subject 1', () => {
    expect(runList(parse('run { ask x = (Subj); (Done x) }'))).toEqual(['[run] #0 [12 mana | 0 size]']);
    const bad = parse('run { ask x = (Subj); (Done x) }')[0]!;
    const broken: Statement = { ...bad, sign: new Uint8Array(65).fill(0xff) } as Statement;
    expect(runList([broken])).toEqual(['[run] #1 [12 mana | 0 size]']);
  });
});

describe('namespaces (spec §12.6)', () => {
  test('block_4: Namer registers Foo for Alice, Alice Foo.Bar for Bob, Bob deploys', () => {
    const statements = [
      ...signed(`reg Foo { ${ALICE} }`, 1),
      ...signed(`reg Foo.Bar { ${BOB} }`, 2),
      ...signed('fun (Foo.Bar.cats) {\n  (Foo.Bar.cats) = #42\n}', 3),
      ...parse('run { (Done (Foo.Bar.cats)) }'),
    ];
    expect(runList(statements)).toEqual(['[reg] Foo', '[reg] Foo.Bar', '[fun] Foo.Bar.cats', '[run] #42 [5 mana | 0 size]']);
  });

  test('only the owner of the namespace above may register or deploy', () => {
    const lines = runList([
      ...parse(`reg Foo { ${ALICE} }`),
      ...signed(`reg Foo { ${ALICE} }`, 1),
      ...signed(`reg Foo.Bar { ${BOB} }`, 3),
      ...parse('ctr {Foo.Bar}'),
      ...signed('ctr {Foo.X}', 3),
      ...signed('ctr {Foo.X}', 2),
    ]);
    expect(lines).toEqual([
      "[run] ERROR: Subject '0' not allowed to register 'Foo'.",
      '[reg] Foo',
      "[run] ERROR: Subject '540402903301314077240655651075245048' not allowed to register 'Foo.Bar'.",
      "[ctr] ERROR: Subject '#x000000000000000000000000000000' not allowed to deploy 'Foo.Bar'.",
      `[ctr] ERROR: Subject '${BOB}' not allowed to deploy 'Foo.X'.`,
      '[ctr] Foo.X',
    ]);
  });

  test('a namespace name cannot be defined, nor registered twice; top-level names are free', () => {
    const lines = runList([...signed(`reg Foo { ${ALICE} }`, 1), ...parse('ctr {Foo}\nctr {Bar}')]);
    expect(lines).toEqual(['[reg] Foo', "[ctr] ERROR: Can't redefine 'Foo'.", '[ctr] Bar']);
  });

  test('an owner of 0 lets unsigned statements deploy under the namespace', () => {
    expect(runList([...signed('reg Pub { #0 }', 1), ...parse('ctr {Pub.X}')])).toEqual(['[reg] Pub', '[ctr] Pub.X']);
  });

  test('sudo skips the permission checks', () => {
    expect(runList(parse(`reg Foo { ${ALICE} }\nctr {Foo.Y}`), { sudo: true })).toEqual(['[reg] Foo', '[ctr] Foo.Y']);
  });

  test('without genesis nobody owns the empty namespace, so top-level registration fails', () => {
    expect(runList(signed(`reg Top { ${ALICE} }`, 1), { fresh: true })).toEqual([
      "[run] ERROR: Subject '656161725219724531611238334681629285' not allowed to register 'Top'.",
    ]);
  });
});

describe('output lines (spec §12.7)', () => {
  test('ticks are zero-padded to 10 digits; colours only when asked for', () => {
    const rt = new Runtime();
    const [outcome] = rt.runStatements(parseStatements('run { (Done #1) }').statements);
    expect(formatOutcomeLine(outcome!, false)).toBe('0000000000 [run] #1 [3 mana | 0 size]');
    expect(formatOutcomeLine(outcome!, true)).toBe('0000000000 [run] #1 \x1b[2m[3 mana | 0 size]\x1b[0m');
  });

  test('statement indices use the tick of the block: (tick << 60) | i', () => {
    const rt = new Runtime();
    for (let t = 0; t < 3; t++) rt.runBlock([], { time: 0, meta: 0, hax0: 0, hax1: 0 });
    rt.openBlock({ time: 0, meta: 0, hax0: 0, hax1: 0 });
    const lines = rt.runStatements(parse("ctr {A}\nctr {B}\nrun { ask i = (GetIdx 'B'); (Done i) }")).map((o) => formatOutcome(o, false));
    expect(lines[2]).toBe('[run] #4611686018427387905 [13 mana | 0 size]');
  });

  test('the example list runs the same via run()', () => {
    expect(run('ctr {Leaf x}').lines).toEqual(['[ctr] Leaf']);
  });
});
