import { App, Fun, Lam, Num, Op2, type Statement, type Term, Var, unsigned, withSignature } from '../../../runtime/kdl/ast.js';
import { NONE_NAME, nameFromText } from '../../../runtime/kdl/names.js';
import { encodeStatement } from '../../../runtime/kdl/serialize.js';
import { Oper } from '../../../runtime/kdl/u120.js';
import {
  bytesToHex, formatSubject, hexToBytes, keyInfo, recoverSubject, signStatement, statementHash, statementSubject,
} from '../../../runtime/crypto/index.js';

const n = nameFromText;
const call = (name: string, ...args: Term[]): Term => Fun(n(name), args);
const run = (expr: Term): Statement => ({ tag: 'Run', expr, sign: null });
const reg = (name: string, ownr: bigint): Statement => ({ tag: 'Reg', name: n(name), ownr, sign: null });
const fun = (name: string, args: string[], rules: [Term, Term][]): Statement =>
  ({ tag: 'Fun', name: n(name), args: args.map(n), rules: rules.map(([lhs, rhs]) => ({ lhs, rhs })), init: null, sign: null });
const keyOf = (k: bigint): Uint8Array => hexToBytes(k.toString(16).padStart(64, '0'));

/** `run { ask x = (Subj); (Done x) }` = (!(Subj) @x (Done x)). */
const askSubj = (x: string): Statement => run(App(call('Subj'), Lam(n(x), call('Done', Var(n(x))))));
const SUBJ = askSubj('x');

// §5.6, §6.7, §17.3 and conformance/kdl/signed/*.info.
const HASHES: [string, Statement, string][] = [
  ['run { (Done #1) }', run(call('Done', Num(1n))), '29c2ee1f530b3bd6c81c86793413281e61588d28c8e52cac5dcd7a339bff0711'],
  ['fun (Test x) { (Test ~) = #0 }', fun('Test', ['x'], [[Fun(n('Test'), [Var(NONE_NAME)]), Num(0n)]]), '6453164e5d5e0841ff49703b07af80ef55fde5794a584d8e7a0715fc66736803'],
  ['reg Foo { #x2b5ad5c4795c026514f8317c7a215e }', reg('Foo', 0x2b5ad5c4795c026514f8317c7a215en), '5466870a1f4ffce883f566865850e93a676bf30a0063bc92b6fcdd2a9346e875'],
  ['reg Foo.Bar { #x6813eb9362372eef6200f3b1dbc3f8 }', reg('Foo.Bar', 0x6813eb9362372eef6200f3b1dbc3f8n), '35b1d89012540b529a848917addcc6ffe80191c7c6d9ec9010ee60bbd6146bde'],
  ['run { ask x = (Subj); (Done x) }', SUBJ, '8c71291d2e67ca39ed8f74f664f3e89a07afcd40fd6c4b4f3f2c8b88b86fe6e5'],
  ['run { ask s = (Subj); (Done s) }', askSubj('s'), 'd2448971d7e4943bff5ba01a83b7efcdff38f9060e1e875f02e384e774dbeb74'],
  ['run { (Done (Foo.Bar.cats)) }', run(call('Done', call('Foo.Bar.cats'))), 'bf0e68fe3b265ec0f63d21c16faf0f35469d5c0bb169ad299c4a5e9aab7ed296'],
  ['fun (Foo.Bar.cats) { (Foo.Bar.cats) = #42 }', fun('Foo.Bar.cats', [], [[call('Foo.Bar.cats'), Num(42n)]]), 'ea692a604b471e81f4be7c74eee66c0ae669d5d4200d0e0aa06403f48a10701e'],
  ['fun (Foo.Inc x) { (Foo.Inc x) = (+ x #2) }', fun('Foo.Inc', ['x'], [[call('Foo.Inc', Var(n('x'))), Op2(Oper.ADD, Var(n('x')), Num(2n))]]), 'ac55b453ad4a992544646a36c3fdf11790ec157dc1d4656f0bc40e5424fb975b'],
  ['fun (Foo.Dec x) { (Foo.Dec x) = (- x #1) }', fun('Foo.Dec', ['x'], [[call('Foo.Dec', Var(n('x'))), Op2(Oper.SUB, Var(n('x')), Num(1n))]]), '9a327bd6e6b1d0bedfc8cfb62d47452a325a80e884634ade22071a584d8d36b8'],
];

describe('statementHash (spec §6.2, §17.3)', () => {
  test.each(HASHES)('%s', (_text, statement, hash) => {
    expect(bytesToHex(statementHash(statement))).toBe(hash);
  });

  test('ignores the signature', () => {
    const signed = withSignature(SUBJ, new Uint8Array(65).fill(7));
    expect(bytesToHex(statementHash(signed))).toBe(bytesToHex(statementHash(SUBJ)));
  });
});

// §6.7: the signed encodings printed by `kindelia sign -E`.
const SIGNED: [bigint, bigint, string, string][] = [
  [1n, 656161725219724531611238334681629285n, '008e98b8450d7bc887bf99e30041a496322f43e8117fcea935a090281422f06d6752506fcbb35dab2c8425b6bc2c2bf914260cb84b71ee52544914c27292749bc3',
    '4d576ce7dc24f565a7cee2390071191da2b0de13e1fd99c7008225694cf4c21788fe7395ac05091428440fb6e64a0af6d3cdbad53421a46d3d34d49f2864301dd28e774a2a9228434e492ed9c3'],
  [2n, 225111118185718227719509163399323998n, '016d33b13de9db223a97db0aa7efb3dba5af1041e43dddb88a5ed767f84c72afbd1c23b22af23f5197467bc69e4ff0651c828e212b5ad6a46c2a88a61e91e32f78',
    '4d576ce7dc24f565a7cee23980b6cc8dbc97db445ce9db50e5f7cddba5f5088227bcbb1d517aebe61f324ef5bd38c44d544ffc8ae962de6379f20fa638417184d45a6b25365411657889c7f41e'],
  [3n, 540402903301314077240655651075245048n, '01f1e2292c99c840bb341fd4d47252f367debdc91bf89276b8658620196458d493440ea33164b0a1fe9ff16e7856ffef9f94f237f3148fafa23a0f17e0441f34d6',
    '4d576ce7dc24f565a7cee239808f479434991302dd2cf82b2b4e4acfe67bbd93d81f496e1da6610498261a2bc92270c58c260d857ff98f761e6afff7f9294feccf28f1f5455cf0e80722f82c6b'],
];

describe('signStatement and statementSubject (spec §6.3, §6.4, §6.7)', () => {
  test.each(SIGNED)('key %i signs `run { ask x = (Subj); (Done x) }` as the original', (key, subject, signature, encoded) => {
    const signed = signStatement(SUBJ, keyOf(key));
    expect(signed.sign).not.toBeNull();
    expect(bytesToHex(signed.sign!)).toBe(signature);
    expect(bytesToHex(encodeStatement(signed))).toBe(encoded);
    expect(statementSubject(signed)).toBe(subject);
    expect(statementSubject(signed)).toBe(keyInfo(keyOf(key)).subject);
    expect(unsigned(signed)).toEqual(SUBJ);
  });

  test('the reg/fun vectors of §6.7', () => {
    const cases: [Statement, bigint, string][] = [
      [HASHES[2]![1], 1n, '0055db2c36550b962462a80acbacb562aa04638674ce654a4fbc2ef195591414ee3e87b8e0854310818e8f46ccf15a0f2e338c4fee20fa177e4c1cf0365b4acae8'],
      [HASHES[3]![1], 2n, '0145ccb8ab88d3f07822a0cff785d3eb3c8183afffa7d03efa0e5956dcc54e0e7007d608aff37705c51d7336c05c37f1e210fbfa13621c960eaadedc839b6b86fa'],
      [HASHES[7]![1], 3n, '0086aaeabced7015e46b34187dab9519432c4f14ce7929a404f57a40f3602e01c510b8b09b9aa0c053767259b41b0fddd91317b8c09af270ab406ea78433dcfa92'],
    ];
    for (const [statement, key, signature] of cases) {
      const signed = signStatement(statement, keyOf(key));
      expect(bytesToHex(signed.sign!)).toBe(signature);
      expect(statementSubject(signed)).toBe(keyInfo(keyOf(key)).subject);
    }
  });

  test('signing a signed statement replaces its signature', () => {
    const once = signStatement(SUBJ, keyOf(1n));
    const twice = signStatement(once, keyOf(2n));
    expect(bytesToHex(twice.sign!)).toBe(SIGNED[1]![2]);
  });

  test('an unsigned statement has subject 0', () => {
    expect(statementSubject(SUBJ)).toBe(0n);
  });

  test('a corrupted recovery id gives subject 1', () => {
    const sig = hexToBytes(SIGNED[0]![2]);
    sig[0] = 7;
    expect(statementSubject(withSignature(SUBJ, sig))).toBe(1n);
    expect(statementSubject(withSignature(SUBJ, new Uint8Array(65)))).toBe(1n);
  });

  test('a tampered statement recovers another subject (conformance signed/tampered_fun_in_namespace)', () => {
    // Signed by two as `(+ x #1)`, then changed to `(+ x #2)`.
    const tampered = withSignature(HASHES[8]![1], hexToBytes(
      '014b829d5bc763c9c411a14cbb1e75957e96c59fcbc4b34592d323d189ad8a01a60dc219d299364af5e74a6f5c584da0f69682beeb58a90422f405c00bbe1468a8'));
    expect(formatSubject(statementSubject(tampered))).toBe('#xddd3dd4b072d3ecbd1af847f13c9ff');
    const original = fun('Foo.Inc', ['x'], [[call('Foo.Inc', Var(n('x'))), Op2(Oper.ADD, Var(n('x')), Num(1n))]]);
    expect(statementSubject(withSignature(original, tampered.sign!))).toBe(keyInfo(keyOf(2n)).subject);
  });

  test('statementSubject agrees with recoverSubject over the hash', () => {
    const signed = signStatement(HASHES[0]![1], keyOf(3n));
    expect(statementSubject(signed)).toBe(recoverSubject(statementHash(signed), signed.sign!));
  });
});
