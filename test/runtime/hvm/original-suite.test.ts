/** The stateful programs of the original test-suite (spec §17.5), with their expectations. */
import { nameFromText, printTerm } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcome, type BlockContext } from '../../../runtime/hvm/index.js';
import { parse, run } from './helpers.js';

const EMPTY: BlockContext = { time: 0, meta: 0, hax0: 0, hax1: 0 };
const state = (rt: Runtime, name: string): string => printTerm(rt.readState(nameFromText(name))!);

const PRE_COUNTER = `
ctr {Succ p}
ctr {Zero}
fun (ToSucc n) {
  (ToSucc #0) = {Zero}
  (ToSucc n) = {Succ (ToSucc (- n #1))}
}
fun (Add n) {
  (Add n) = {Succ n}
}
fun (Sub n) {
  (Sub {Succ p}) = p
  (Sub {Zero}) = {Zero}
}
ctr {StoreAdd}
ctr {StoreSub}
ctr {StoreGet}
fun (Store action) {
  (Store {StoreAdd}) = ask l = (Take); ask (Save (Add l)); (Done #0)
  (Store {StoreSub}) = ask l = (Take); ask (Save (Sub l)); (Done #0)
  (Store {StoreGet}) = ask l = (Load); (Done l)
} with { {Zero} }`;

const COUNTER = `
run { ask (Call 'Store' {StoreAdd}); ask count = (Call 'Store' {StoreGet}); (Done count) }
run { ask (Call 'Count' {Inc}); ask count = (Call 'Count' {Get}); (Done count) }`;

const PRE_BANK = `
ctr {Node k v l r}
ctr {Leaf}
fun (AddEq cond key t) {
  (AddEq #1 ~ {Node k v l r}) = {Node k (+ v #1) l r}
  (AddEq #0 key {Node k v l r}) = dup k.0 k.1 = k; dup key.0 key.1 = key; (AddChild (> key.0 k.0) key.1 {Node k.1 v l r})
}
fun (AddChild cond key t) {
  (AddChild #1 key {Node k v l r}) = {Node k v l (AddAcc key r)}
  (AddChild #0 key {Node k v l r}) = {Node k v (AddAcc key l) r}
}
fun (AddAcc key t) {
  (AddAcc key {Leaf}) = {Node key #1 {Leaf} {Leaf}}
  (AddAcc key {Node k v lft rgt}) = dup k.0 k.1 = k; dup key.0 key.1 = key; (AddEq (== k.0 key.0) key.1 {Node k.1 v lft rgt})
}
ctr {Random_Inc}
ctr {Random_Get}
fun (Random action) {
  (Random {Random_Inc}) = ask x = (Take); ask (Save (% (+ (* #25214903917 x) #11) #281474976710656)); (Done #0)
  (Random {Random_Get}) = ask x = (Load); (Done x)
} with { #1 }
ctr {Bank_Add acc}
ctr {Bank_Get}
fun (Bank action) {
  (Bank {Bank_Add acc}) = ask t = (Take); ask (Save (AddAcc acc t)); (Done #0)
  (Bank {Bank_Get}) = ask x = (Load); (Done x)
} with { {Leaf} }`;

const BANK = `run {
  ask (Call 'Random' {Random_Inc}); ask acc = (Call 'Random' {Random_Get});
  ask (Call 'Bank' {Bank_Add acc}); ask b = (Call 'Bank' {Bank_Get}); (Done b)
}`;

const PRE_BIT_COUNTER = `
fun (End) {
  (End) = @e @~ @~ e
}
fun (B0 p) {
  (B0 p) = @~ @o @~ (!o p)
}
fun (B1 p) {
  (B1 p) = @~ @~ @i (!i p)
}
fun (IncBit xs) {
  (IncBit xs) = @ex @ox @ix let e = ex; let o = ix; let i = @p (!ox (IncBit p)); (!(!(!xs e) o) i)
}
fun (ToNum ys) {
  (ToNum ys) = let e = #0; let o = @p (+ #0 (* #2 (ToNum p))); let i = @p (+ #1 (* #2 (ToNum p))); (!(!(!ys e) o) i)
}
fun (FromNum s i) {
  (FromNum #0 ~) = (End)
  (FromNum s i) = dup i0 i1 = i; (FromNumPut (- s #1) (% i0 #2) (/ i1 #2))
}
fun (FromNumPut s b i) {
  (FromNumPut s #0 i) = (B0 (FromNum s i))
  (FromNumPut s #1 i) = (B1 (FromNum s i))
}
fun (CountBit action) {
  (CountBit {Inc}) = ask x = (Take); ask (Save (IncBit x)); (Done #0)
  (CountBit {Get}) = ask x = (Load); (Done x)
} with { (FromNum #32 #1) }`;

const BIT_COUNTER = "run { ask (Call 'CountBit' {Inc}); ask x = (Call 'CountBit' {Get}); (Done (ToNum x)) }";

describe('counter (PRE_COUNTER, COUNTER)', () => {
  test('one iteration at tick 0', () => {
    const r = run(`${PRE_COUNTER}\n${COUNTER}`);
    expect(r.lines.slice(-2)).toEqual(['[run] {Succ {Zero}} [102 mana | 1 size]', '[run] #1 [76 mana | 0 size]']);
  });

  test('after each block Count and Store advance by one; rollback and replay agree', () => {
    const block = (t: number) => parse(t === 1 ? `${PRE_COUNTER}\n${COUNTER}` : COUNTER);
    const direct = new Runtime();
    const sums = new Map<number, string>([[0, direct.checksum()]]);
    for (let t = 1; t <= 41; t++) {
      direct.runBlock(block(t), EMPTY);
      expect(state(direct, 'Count')).toBe(`#${t}`);
      expect(state(direct, 'Store').split('Succ').length - 1).toBe(t);
      sums.set(t, direct.checksum());
    }
    // snapshots after tick 41: 32 and 0 (spec §14.4)
    for (const [target, expected] of [[35, 32], [25, 0]] as const) {
      const landed = direct.rollback(target);
      expect(landed).toBe(expected);
      expect(direct.checksum()).toBe(sums.get(landed));
      for (let t = landed + 1; t <= 41; t++) direct.runBlock(block(t), EMPTY);
      expect(direct.checksum()).toBe(sums.get(41));
      expect(state(direct, 'Count')).toBe('#41');
    }
  });
});

describe('bank (PRE_BANK, BANK)', () => {
  test('iterations at tick 0', () => {
    const r = run(`${PRE_BANK}\n${BANK}\n${BANK}\n${BANK}`);
    expect(r.lines.slice(-3)).toEqual([
      '[run] {Node #25214903928 #1 {Leaf} {Leaf}} [219 mana | 4 size]',
      expect.stringMatching(/^\[run\] \{Node .* \[285 mana \| 4 size\]$/),
      expect.stringMatching(/^\[run\] \{Node .* \[351 mana \| 4 size\]$/),
    ]);
  });

  test('after block t the Bank state holds t nodes', () => {
    const rt = new Runtime();
    rt.runStatements(parse(PRE_BANK));
    rt.commit();
    for (let t = 1; t <= 20; t++) {
      rt.runBlock(parse(BANK), EMPTY);
      expect(state(rt, 'Bank').split('Node').length - 1).toBe(t);
    }
  });
});

test('bit counter (PRE_BIT_COUNTER, BIT_COUNTER)', () => {
  const r = run(`${PRE_BIT_COUNTER}\n${BIT_COUNTER}\n${BIT_COUNTER}`, { sudo: true });
  expect(r.lines.slice(-2)).toEqual(['[run] #2 [3641 mana | 248 size]', '[run] #3 [2437 mana | 0 size]']);
});

test('dupped_state_test: a copied state is independent of its original', () => {
  const rt = new Runtime();
  rt.runStatements(parse(`ctr {Copy}
ctr {Change}
fun (Original action) {
  (Original {Copy}) = ask x = (Take); dup a b = x; ask (Save a); (Done b)
  (Original {Change}) = ask (Take); ask (Save @~ @~ #8); (Done #0)
} with { @~ @~ #7 }
fun (Other) {
  (Other) = ask x = (Call 'Original' {Copy}); ask (Save x); (Done #0)
}`));
  const first = rt.runStatements(parse("run { ask (Call 'Other' []); (Done #0) }")).map((o) => formatOutcome(o, false));
  expect(first).toEqual(['[run] #0 [99 mana | 5 size]']);
  expect([state(rt, 'Original'), state(rt, 'Other')]).toEqual(['@x0 @x1 #7', '@x0 @x1 #7']);
  const second = rt.runStatements(parse("run { ask (Call 'Original' {Change}); (Done #1) }")).map((o) => formatOutcome(o, false));
  expect(second).toEqual(['[run] #1 [52 mana | 0 size]']);
  expect([state(rt, 'Original'), state(rt, 'Other')]).toEqual(['@x0 @x1 #8', '@x0 @x1 #7']);
});

test('shadowing: lets and dups rebind names', () => {
  expect(run(`fun (Test state) {
  (Test state) = dup state2 state1 = state; let state = state2; let got = state1; let state = (+ state #1); let state = (+ state #1); let got = (+ got #1); (+ state got)
}
run { (Done (Test #2)) }`).lines[1]).toBe('[run] #7 [56 mana | 0 size]');
});

test('test_thousand_idx: a definition after 1000 blocks', () => {
  const rt = new Runtime();
  for (let t = 0; t < 1000; t++) rt.runBlock([], EMPTY);
  const lines = rt.runStatements(parse("fun (Test x) {\n  (Test ~) = #0\n}\nrun { ask idx = (GetIdx 'Test'); (Done idx) }"))
    .map((o) => formatOutcome(o, false));
  expect(lines[1]).toBe('[run] #1152921504606846976000 [13 mana | 0 size]');
});

test('test_stmt_hash: hashes of a definition at tick 1', () => {
  const rt = new Runtime();
  rt.openBlock(EMPTY);
  const lines = rt.runStatements(parse(`fun (Test x) {
  (Test ~) = #0
}
run { ask idx = (GetIdx 'Test'); dup id0 id1 = idx; ask h0 = (GetStmHash0 id0); ask h1 = (GetStmHash1 id1); (Done (T2 h0 h1)) }`))
    .map((o) => formatOutcome(o, false));
  expect(lines[1]).toBe('[run] (T2 #668163992565599291241742423402369892 #599202916516257682984727107763787247) [35 mana | 0 size]');
});
