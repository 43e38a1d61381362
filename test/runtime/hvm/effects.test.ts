/** Effects (spec §11, §17.10): every IO constructor, CALL's checks, caller semantics. */
import { nameFromText, printTerm } from '../../../runtime/kdl/index.js';
import { done, lastLine, run } from './helpers.js';

const io = (body: string, setup = ''): string => lastLine(`${setup}\nrun { ${body} }`);

describe('IO constructors', () => {
  test.each(['Subj', 'From', 'Tick', 'Time', 'Meta', 'Hax0', 'Hax1'])('(%s) outside a block, unsigned: #0, 12 mana', (effect) => {
    expect(io(`ask x = (${effect}); (Done x)`)).toBe('[run] #0 [12 mana | 0 size]');
  });

  test('GetIdx of genesis names', () => {
    expect(io("ask x = (GetIdx 'T2'); (Done x)")).toBe('[run] #2 [13 mana | 0 size]');
    expect(io("ask x = (GetIdx 'Count'); (Done x)")).toBe('[run] #54 [13 mana | 0 size]');
    expect(io("ask x = (GetIdx 'Nowhere'); (Done x)")).toBe("[run] ERROR: 'Nowhere' is not defined.");
  });

  test('GetIdx counts every statement of the list, runs included', () => {
    const r = run("run { (Done #0) }\nctr {Here a}\nfun (There a) {\n  (There a) = a\n}\nrun { ask a = (GetIdx 'Here'); ask b = (GetIdx 'There'); (Done [a b]) }");
    expect(r.lines[3]).toBe('[run] {T2 #1 #2} [23 mana | 0 size]');
  });

  test('statement hashes (test_two_stmt_hash)', () => {
    const r = run(`fun (Test1 x) {
  (Test1 ~) = #0
}
fun (Test2 x) {
  (Test2 ~) = #1
}
run {
  ask i1 = (GetIdx 'Test1'); ask i2 = (GetIdx 'Test2');
  dup i1a i1b = i1; dup i2a i2b = i2;
  ask a = (GetStmHash0 i1a); ask b = (GetStmHash1 i1b); ask c = (GetStmHash0 i2a); ask d = (GetStmHash1 i2b);
  (Done [a b c d])
}`);
    expect(r.lines[2]).toMatch(/^\[run\] \{T4 #1104043100960034102334881047757748406 #277589043940772470189575914799450936 #546219446685550325656800209371036559 #653211160297017065496888740355291906\}/);
    expect(io('ask h = (GetStmHash0 #999); (Done h)')).toBe("[run] ERROR: Statement with index '999' does not exist.");
  });

  test('DONE directly costs nothing; non-IO terms fail', () => {
    expect(io('{DONE #9}')).toBe('[run] #9 [0 mana | 0 size]');
    expect(io('#5')).toBe("[run] ERROR: 'NUM::5' is not an IO term.");
    expect(io('@x x')).toMatch(/^\[run\] ERROR: 'LAM::[0-9a-f]+' is not an IO term\.$/);
    expect(io('{T0}')).toBe("[run] ERROR: 'T0' is not an IO constructor.");
  });

  test('FAIL fails the statement, showing the raw cell', () => {
    const r = run('fun (Test a b) {\n  (Test #0 #1) = (Fail #0)\n  (Test #1 #0) = (Done #0)\n}\nrun { (Test #0 #1) }\nrun { (Test #1 #0) }');
    expect(r.lines.slice(1)).toEqual(["[run] ERROR: Failed: 'NUM::0'", '[run] #0 [6 mana | 0 size]']);
  });

  test('TAKE without a state fails; SAVE then TAKE round-trips', () => {
    expect(io('ask x = (Load); (Done x)')).toBe("[run] ERROR: Tried to read state of '#x0' but did not exist.");
    const setup = 'fun (Sv x) {\n  (Sv ~) = ask (Save #5); ask s = (Take); ask (Save #6); (Done s)\n}';
    const r = run(`${setup}\nrun { ask x = (Call 'Sv' {T0}); (Done x) }\nrun { ask x = (Call 'Sv' {T0}); (Done x) }`);
    expect(r.lines.slice(1)).toEqual(['[run] #5 [63 mana | 0 size]', '[run] #5 [63 mana | 0 size]']);
  });

  test('a function without `with` has no state to take', () => {
    expect(io("ask x = (Call 'St' {T0}); (Done x)", 'fun (St x) {\n  (St ~) = ask s = (Take); (Done s)\n}'))
      .toBe("[run] ERROR: Tried to read state of 'St' but did not exist.");
  });

  test('Take then Save frees the old state (size −2)', () => {
    const setup = 'fun (Q x) {\n  (Q ~) = ask ~ = (Take); (Done #0)\n} with {\n  {T2 #1 #2}\n}';
    expect(io("ask (Call 'Q' {T0}); (Done #1)", setup)).toBe('[run] #1 [33 mana | -2 size]');
  });

  test('NORM normalises in place', () => {
    expect(lastLine('ctr {Pair a b}\nrun { ask r = (Norm {Pair (!@x x #3) (!@x x @y y)}); (Done r) }'))
      .toBe('[run] {Pair #3 @x0 x0} [17 mana | 0 size]');
  });
});

describe('CALL (spec §11.3)', () => {
  const FOO = 'ctr {Pair a b}\nfun (Foo x) {\n  (Foo ~) = (Done #7)\n}';
  test.each([
    ['{Pair #1 {T0}}', '[run] #7 [20 mana | 0 size]'],
    ['{Pair {T0} #1}', "[run] ERROR: '#x0' tried to call 'Foo' with invalid argument 'CTR:T0:0'."],
    ['#5', "[run] ERROR: '' is not defined."],
    ['{Pair (+ #1 #2) #3}', '[run] #7 [22 mana | 0 size]'],
    ['{T0}', '[run] #7 [20 mana | 0 size]'],
  ])("(Call 'Foo' %s)", (arg, line) => {
    expect(io(`ask x = (Call 'Foo' ${arg}); (Done x)`, FOO)).toBe(line);
  });

  test('an unevaluated call as argument passes unchecked', () => {
    expect(io("ask x = (Call 'Foo' (Mk)); (Done x)", `${FOO}\nfun (Mk) {\n  (Mk) = {Pair {T0} #1}\n}`)).toBe('[run] #7 [20 mana | 0 size]');
  });

  test('unknown callee, callee too big', () => {
    expect(io("ask x = (Call 'Nope' {T0}); (Done x)")).toBe("[run] ERROR: 'Nope' is not defined.");
    expect(io('ask x = (Call #x7e5f4552091a69125d5dfcb7b8c265 {T0}); (Done x)'))
      .toBe("[run] ERROR: Cannot fit '656161725219724531611238334681629285' into a function name.");
  });

  test('a nullary callee works but leaks its argument cell (size +1)', () => {
    expect(lastLine("fun (A_________) {\n  (A_________) = (Done #42)\n}\nrun { ask x = (Call 'A_________' []); (Done x) }"))
      .toBe('[run] #42 [20 mana | 1 size]');
  });

  test('test_name_sanitizing: a dup-copied callee name', () => {
    expect(lastLine("fun (Test x) {\n  (Test ~) = (Done #5)\n}\nrun { dup n1 n2 = 'Test'; ask z1 = (Call n1 {T0}); ask z2 = (Call n2 {T0}); (Done (T2 z1 z2)) }"))
      .toBe('[run] (T2 #5 #5) [39 mana | 0 size]');
  });

  test('the counter: three increments then a read in one run', () => {
    expect(io("ask (Call 'Count' {Inc}); ask (Call 'Count' {Inc}); ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x)"))
      .toMatch(/^\[run\] #3 \[\d+ mana \| 0 size\]$/);
  });

  test('errors in the callee fail the whole statement, saves included', () => {
    const r = run(`fun (Bad x) {
  (Bad ~) = ask (Save #1); (Fail #9)
} with { #0 }
run { ask x = (Call 'Bad' {T0}); (Done x) }`);
    expect(r.lines[1]).toBe("[run] ERROR: Failed: 'NUM::9'");
    expect(printTerm(r.runtime.readState(nameFromText('Bad'))!)).toBe('#0');
    expect(r.runtime.stats()).toMatchObject({ mana: 0, size: 0 });
  });
});

describe('subject and caller (spec §11.2)', () => {
  const WHO = 'fun (Who x) {\n  (Who ~) = ask s = (Subj); ask f = (From); (Done (T2 s f))\n}';
  const WHO2 = 'fun (Who2 x) {\n  (Who2 ~) = ask (Tick); ask s = (Subj); ask f = (From); (Done (T2 s f))\n}';
  test('inside a call the subject is the callee and the caller the calling subject', () => {
    expect(io("ask x = (Call 'Who' {T0}); (Done x)", WHO)).toBe('[run] (T2 #138035 #0) [48 mana | 0 size]');
  });
  test('TICK (like TAKE, SAVE, TIME, META, HAX0, HAX1) resets the caller to the subject', () => {
    expect(io("ask x = (Call 'Who2' {T0}); (Done x)", WHO2)).toBe('[run] (T2 #8834243 #8834243) [61 mana | 0 size]');
  });
  test('the continuation of a call sees the caller unchanged', () => {
    expect(io("ask ~ = (Call 'Who' {T0}); ask f = (From); (Done f)", WHO)).toMatch(/^\[run\] #0 /);
  });
});

describe('IO chains are iterative', () => {
  test('100,000 calls in one run do not exhaust the stack', () => {
    const r = run(`fun (Repeat n) {
  (Repeat #0) = ask x = (Call 'Count' {Get}); (Done x)
  (Repeat n) = ask (Call 'Count' {Inc}); (Repeat (- n #1))
}
run { (Repeat #100000) }`, { sudo: true });
    expect(r.lines[1]).toMatch(/^\[run\] #100000 \[\d+ mana \| 0 size\]$/);
  });
  test('(Done …) result', () => {
    expect(done('#1')).toBe('[run] #1 [3 mana | 0 size]');
  });
});
