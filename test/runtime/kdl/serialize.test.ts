import fc from 'fast-check';
import { App, Ctr, Fun, Lam, Num, Op2, Var, statementEquals, termEquals, type Statement } from '../../../runtime/kdl/ast.js';
import { BitWriter } from '../../../runtime/kdl/bits.js';
import { GENESIS_TEXT } from '../../../runtime/kdl/genesis.js';
import { nameFromText as n } from '../../../runtime/kdl/names.js';
import { parseStatement, parseStatements } from '../../../runtime/kdl/parse.js';
import { printStatement, printTerm } from '../../../runtime/kdl/print.js';
import {
  DecodeError, EncodeError, decodeStatement, decodeStatementList, decodeStatementPrefix, decodeTerm, encodeStatement, encodeStatementBits,
  encodeStatementList, encodeTerm,
} from '../../../runtime/kdl/serialize.js';
import { decodeTransaction, encodeTransaction } from '../../../runtime/kdl/transaction.js';
import { signStatement } from '../../../runtime/crypto/index.js';
import { Oper } from '../../../runtime/kdl/u120.js';
import { statement as anyStatement, term as anyTerm } from './arbitraries.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

function bitsOf(write: (w: BitWriter) => void): string {
  const w = new BitWriter();
  write(w);
  const bytes = w.toBytes();
  let s = '';
  for (let i = 0; i < w.bitLength; i++) s += (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
  return s;
}

describe('primitive encoders (spec §5.1)', () => {
  test('varlen', () => {
    expect(bitsOf((w) => w.varlen(0))).toBe('0');
    expect(bitsOf((w) => w.varlen(1))).toBe('110');
    expect(bitsOf((w) => w.varlen(19))).toBe('11111010110');
    expect(bitsOf((w) => w.varlen(17))).toBe('11101010110');
  });
  test('fixed and number', () => {
    expect(bitsOf((w) => w.fixed(8, 19))).toBe('11001000');
    expect(bitsOf((w) => w.fixed(5, 19))).toBe('11001');
    expect(bitsOf((w) => w.number(0n))).toBe('0');
    expect(bitsOf((w) => w.number(1n))).toBe('1101');
    expect(bitsOf((w) => w.number(1337n))).toBe('11111011010011100101');
    const w = new BitWriter(); w.number(1337n);
    expect(hex(w.toBytes())).toBe('fb4e50');
  });
});

describe('terms (spec §5.3, §5.6)', () => {
  test('@x @y (+ x y) is 43 bits, 49e4dee021c0', () => {
    const t = Lam(n('x'), Lam(n('y'), Op2(Oper.ADD, Var(n('x')), Var(n('y')))));
    const { bytes, bitLength } = encodeTerm(t);
    expect(bitLength).toBe(43);
    expect(hex(bytes)).toBe('49e4dee021c0');
    expect(termEquals(decodeTerm(bytes), t)).toBe(true);
  });

  test('name Dog alone is 23 bits, 75e770', () => {
    const { bytes, bitLength } = encodeTerm(Var(n('Dog')));
    // A Var term adds the 3-bit tag 000 before the 23 name bits.
    expect(bitLength).toBe(26);
    const w = new BitWriter();
    for (const ch of '0' + '1110101' + '1110011' + '1011100' + '0') w.bit(ch === '1');
    expect(hex(w.toBytes())).toBe('75e770');
    expect(hex(bytes).startsWith('0e')).toBe(true);
  });
});

describe('statements (spec §5.6, §17.3)', () => {
  const vectors: Array<[string, Statement, number, string]> = [
    ['run { (Done #1) }', { tag: 'Run', expr: Fun(n('Done'), [Num(1n)]), sign: null }, 47, '4acb4f9dc5e8'],
    ['fun (Test x) { (Test ~) = #0 }', { tag: 'Fun', name: n('Test'), args: [n('x')], rules: [{ lhs: Fun(n('Test'), [Var(0x3ffffn)]), rhs: Num(0n) }], init: null, sign: null }, 86, '047f796f29e6d0fffff8c0'],
    ['ctr {Pair a b}', { tag: 'Ctr', name: n('Pair'), args: [n('a'), n('b')], sign: null }, 56, '85bdba6b2d2ac8'],
    ['reg Foo { #x2b5ad5c4795c026514f8317c7a215e }', { tag: 'Reg', name: n('Foo'), ownr: 0x2b5ad5c4795c026514f8317c7a215en, sign: null }, 156, 'c73e708f508bc7d183e514c80753c4756b5a8000'],
    ['run { ask x = (Subj); (Done x) }', { tag: 'Run', expr: App(Fun(n('Subj'), []), Lam(n('x'), Fun(n('Done'), [Var(n('x'))]))), sign: null }, 96, '4d576ce7dc24f565a7cee238'],
    ['run { (Done (Foo.Bar.cats)) }', { tag: 'Run', expr: Fun(n('Done'), [Fun(n('Foo.Bar.cats'), [])]), sign: null }, 130, '4acb4f9dc6bdc7d3e605bd332073e70800'],
    ['fun (Foo.Bar.cats) { (Foo.Bar.cats) = #42 }', { tag: 'Fun', name: n('Foo.Bar.cats'), args: [], rules: [{ lhs: Fun(n('Foo.Bar.cats'), []), rhs: Num(42n) }], init: null, sign: null }, 117, '07b8fa7cc0b7a6640e7ce11b1de540'],
  ];

  test.each(vectors)('%s', (text, ast, bits, want) => {
    const encoded = encodeStatementBits(ast);
    expect(encoded.bitLength).toBe(bits);
    expect(hex(encoded.bytes)).toBe(want);
    expect(statementEquals(decodeStatement(encoded.bytes), ast)).toBe(true);
    expect(statementEquals(parseStatement(text), ast)).toBe(true);
  });

  test('the signed Subj statement of the namer key (616 bits)', () => {
    const signed = '4d576ce7dc24f565a7cee2390071191da2b0de13e1fd99c7008225694cf4c21788fe7395ac05091428440fb6e64a0af6d3cdbad53421a46d3d34d49f2864301dd28e774a2a9228434e492ed9c3';
    const s = decodeStatement(unhex(signed));
    expect(s.tag).toBe('Run');
    expect(hex(s.sign!)).toBe('008e98b8450d7bc887bf99e30041a496322f43e8117fcea935a090281422f06d6752506fcbb35dab2c8425b6bc2c2bf914260cb84b71ee52544914c27292749bc3');
    expect(encodeStatementBits(s).bitLength).toBe(616);
    expect(hex(encodeStatement(s))).toBe(signed);
  });

  test('example block 1 and block 5 statements', () => {
    const block1 = parseStatements(`
      ctr {Leaf value}
      ctr {Branch left right}
      fun (Sum tree) {
        (Sum {Leaf x}) = x
        (Sum {Branch a b}) = (+ (Sum a) (Sum b))
      }
      run { (Done (Sum {Branch {Branch {Leaf #1} {Leaf #2}} {Branch {Leaf #3} {Leaf #4}}})) }
      fun (Gen depth) {
        (Gen #0) = {Leaf #1}
        (Gen x) = dup x0 x1 = x; {Branch (Gen (- x0 #1)) (Gen (- x1 #1))}
      }
      run { (Done (Sum (Gen #16))) }
    `).statements;
    expect(block1.map((s) => hex(encodeStatement(s)))).toEqual([
      '855d396d2cb9e1e9ae00', '84df34f4db98a3d5cb0d479bd76db0', '063cfb965cb6e39b4aae9cb6909e07db4a6f9a7a6dcc434a16470b47b2d1bc00',
      '4acb4f9dc6b1e7dc94df34f4db989da5574e5b4bd4fd7649da7ebb69fafc40', '053cb894d8f2f2c536b0aae9cb697ada13c8c13ca13c3e29be69e9b731b7c0d67adbe07b3d00',
      '4acb4f9dc6b1e7dcd53cb897d820',
    ]);
    const block5Run = parseStatement('run { (Done (Insert #2 #200 (Insert #7 #100 {Empty}))) }');
    expect(hex(encodeStatement(block5Run))).toBe('4acb4f9dc6a3dbcbee9f25d9bab09ef5fbdfe272df1e5e3f8000');
  });
});

describe('genesis (Appendix A)', () => {
  const genesis = parseStatements(GENESIS_TEXT).statements;
  const appendixA: string[] = [
    '860bc0', '850bcb04f0', '870bcb04f54278', '848bcb04f5427ae13c00', '868bcb04f5427ae13d489e00', '858bcb04f5427ae13d489eb44f00',
    '878bcb04f5427ae13d489eb44f562780', '844bcb04f5427ae13d489eb44f5627af13c0', '864bcb04f5427ae13d489eb44f5627af13d449e0',
    '854bcb04f5427ae13d489eb44f5627af13d449eb24f0', '874bcb04f5427ae13d489eb44f5627af13d449eb24f55278',
    '84cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac14278', '86cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa14278',
    '85cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa1427ae14278', '87cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa1427ae1427a914278',
    '842bcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa1427ae1427a91427ad14278', '862bcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa1427ae1427a91427ad1427ab14278',
    '055e4a2d3e7e547554dad0fffffa3e0fb68d68da358360', '865c7a632cb8f4d300', '87c8d9ae2b72e7e500', '065a7cee2b72e7e5368e17c8d9ae2380',
    '87cd5d2f28f4f9f900', '065fba6f1b123d3e7e45f3574bc8e0', '87c83d372b72e7e551e9f3f200', '065afa772b72e7e5368e247a7cfc8be41e9b91d1b000',
    '85ab5d362cb8f4d358fadbd2a3d3e7e400', '04387a762cb8f4d358fadbd26d1d1b123d3e7e456ad74d88e8da3e00', '84a99fb728f4f9f900',
    '05db39f71b123d3e7e452a67edc8e0', '87acd3a128f4f9f900', '063e76e11b123d3e7e45eb34e848e0', '86ad9caf28f4f9f900',
    '07df3b6f1b123d3e7e45ab672bc8e0', '851b9cb12cb8f4d351e9f3f200', '04f8bca3e5c4b2e3d34cda3891e9f3f22a3739624746c0',
    '860a57b729f176a8f4f9f900', '0609bef4d2c71f747cb894f8bb4da3891e9f3f22c14af6e4746c00', '850a57b729f176a8f4f9f900',
    '0509bef4d2c71f747cb894f8bb4da3891e9f3f22a14af6e4746c00', '87cf5caf28f4f9f900', '065c7b6f1b123d3e7e45f3d72bc8e0',
    '874bdf3d28f4f9f900', '0698f97d1b123d3e7e45d2f7cf48e0', '860a3d2928f4f9f900', '0609fa691b123d3e7e45828f4a48e0',
    '850a3d2928f4f9f900', '0509fa691b123d3e7e45428f4a48e0', '85ae5d212b76f280', '043dba612b76f29b470ad72e9091c0',
    '87a9d9a32c76f2c751e9f3f200', '063b7ce32c76f2c7368e247a7cfc8bd4ecd191d1b000',
    '045d3ced1b123d3e7e45f3574bca4f4609e509e1f17c83d37235a9fffff61c3d80', '879a7c80', '847cb880',
    '047a79f9ec54f9ed8fe749b4bcd3e40be6ae97949e2f907a6e780d67b4fffff8be46cd7161b4a3e5c43545d3ced0b58ff46b1600',
    'c2990c77b4feeae9225962412a8be9f800',
  ];

  test('has 56 statements, each encoded as Appendix A says', () => {
    expect(genesis.map((s) => hex(encodeStatement(s)))).toEqual(appendixA);
  });

  test('decodes back to the same statements', () => {
    for (const s of genesis) expect(statementEquals(decodeStatement(encodeStatement(s)), s)).toBe(true);
  });
});

describe('decoding errors name the place', () => {
  test('truncated data', () => {
    expect(() => decodeStatement(unhex('4acb'))).toThrow(DecodeError);
    expect(() => decodeStatement(unhex('4acb'))).toThrow(/bit \d+/);
  });
  test('unknown statement tag', () => {
    expect(() => decodeStatement(unhex('f0'))).toThrow('unknown statement tag 15 at bit 0');
  });
  test('a back reference to a name not seen', () => {
    // Run, Var, name flag 1 then varlen(0): reference to id 0 with an empty table.
    const w = new BitWriter(); w.fixed(4, 2); w.fixed(3, 0); w.bit(1); w.varlen(0); w.bit(0);
    expect(() => decodeStatement(w.toBytes())).toThrow(/name reference 0/);
  });
  test('a number of 120 bits or more', () => {
    const w = new BitWriter(); w.fixed(4, 2); w.fixed(3, 6); w.number(1n << 120n); w.bit(0);
    expect(() => decodeStatement(w.toBytes())).toThrow(/does not fit in 120 bits/);
  });
  test('names of any length decode as the original sums them: the weight saturates, the sum wraps (property)', () => {
    const U128_MAX = (1n << 128n) - 1n;
    const reference = (letters: number[]): bigint => {
      let value = 0n;
      let weight = 1n;
      for (const l of letters) {
        value = (value + BigInt(l) * weight) & U128_MAX;
        weight = weight * 64n > U128_MAX ? U128_MAX : weight * 64n;
      }
      return value;
    };
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 40 }), (letters) => {
      const w = new BitWriter();
      w.fixed(3, 0); // Var
      w.bit(0);
      for (const l of letters) { w.bit(1); w.fixed(6, l); }
      w.bit(0);
      const term = decodeTerm(w.toBytes());
      expect(term.tag === 'Var' && term.name).toBe(reference(letters));
    }), { numRuns: 3000 });
  });

  test('names above 72 bits decode as the original computes them (no limit)', () => {
    const long = (1n << 90n) + 12345n;
    const back = decodeStatement(encodeStatement({ tag: 'Ctr', name: long, args: [], sign: null }));
    expect(back.tag === 'Ctr' && back.name).toBe(long);
  });
});

describe('the encoder refuses what would decode as another statement', () => {
  const ctr = (sign: Uint8Array | null): Statement => ({ tag: 'Ctr', name: n('Pair'), args: [n('a')], sign });

  test.each([0, 64, 66, 130])('a signature of %i bytes', (length) => {
    const s = ctr(new Uint8Array(length));
    const message = `Cannot encode a signature of ${length} bytes: a signature has 65.`;
    expect(() => encodeStatement(s)).toThrow(new EncodeError(message));
    expect(() => encodeStatementList([ctr(null), s])).toThrow(EncodeError);
    expect(() => encodeTransaction(s)).toThrow(EncodeError);
    expect(() => encodeStatement(ctr(new Uint8Array(65)))).not.toThrow();
  });

  test('numbers and owners of 120 bits or more, names of 128 bits or more', () => {
    expect(() => encodeStatement({ tag: 'Run', expr: Num(1n << 120n), sign: null })).toThrow(`Cannot encode the number ${1n << 120n}: it does not fit in 120 bits.`);
    expect(() => encodeStatement({ tag: 'Reg', name: n('A'), ownr: 1n << 120n, sign: null })).toThrow(/reg owner .* does not fit in 120 bits/);
    expect(() => encodeStatement({ tag: 'Ctr', name: 1n << 128n, args: [], sign: null })).toThrow('Cannot encode the name #x100000000000000000000000000000000: names have fewer than 128 bits.');
    expect(() => encodeStatement({ tag: 'Ctr', name: (1n << 128n) - 1n, args: [], sign: null })).not.toThrow();
  });

  test('an operator outside 0..15', () => {
    const bad = { tag: 'Run', expr: Op2(16 as Oper, Num(1n), Num(2n)), sign: null } as Statement;
    expect(() => encodeStatement(bad)).toThrow('Cannot encode the operator 16: operators are 0 to 15.');
  });

  test('EncodeError is named', () => {
    expect(new EncodeError('x').name).toBe('EncodeError');
  });
});

describe('strict decoding: nothing may follow the statement but zero bits to the byte boundary', () => {
  const done1 = unhex('4acb4f9dc5e8'); // run { (Done #1) }, 47 bits

  test('the encoding itself decodes', () => {
    expect(decodeStatement(done1).tag).toBe('Run');
  });

  test('trailing bytes are refused, saying how many', () => {
    const two = new Uint8Array([...done1, ...done1]);
    expect(() => decodeStatement(two)).toThrow(new DecodeError('6 bytes left over after the statement, which ends at bit 47 (byte 6 of 12)'));
    const padded = new Uint8Array([...done1, 0, 0, 0, 0]);
    expect(() => decodeStatement(padded)).toThrow('4 bytes left over after the statement, which ends at bit 47 (byte 6 of 10); they are all zero, like the padding of a transaction (decode it as a transaction)');
    expect(() => decodeStatement(new Uint8Array([...done1, 1]))).toThrow(/^1 byte left over/);
  });

  test('padding bits in the last byte must be zero', () => {
    const dirty = done1.slice();
    dirty[5] = dirty[5]! | 1;
    expect(() => decodeStatement(dirty)).toThrow('the 1 padding bits after the statement, which ends at bit 47, are not zero');
  });

  test('terms and statement lists are strict too', () => {
    const term = encodeTerm(Num(5n)).bytes;
    expect(() => decodeTerm(new Uint8Array([...term, 0]))).toThrow(/1 byte left over after the term/);
    const list = encodeStatementList([decodeStatement(done1)]);
    expect(() => decodeStatementList(new Uint8Array([...list, 7]))).toThrow(/left over after the statement list/);
  });

  test('decodeStatementPrefix reads the statement and says where it ends; transactions ignore what follows', () => {
    const two = new Uint8Array([...done1, ...done1]);
    expect(decodeStatementPrefix(two).bitLength).toBe(47);
    const tx = encodeTransaction(decodeStatement(done1));
    expect(tx.length).toBe(10);
    expect(decodeTransaction(tx).tag).toBe('Run');
    expect(decodeTransaction(two).tag).toBe('Run'); // as the original: anything after is ignored
  });

  test('a signed statement decodes strictly', () => {
    const signed = signStatement(decodeStatement(done1), new Uint8Array(32).fill(1));
    expect(statementEquals(decodeStatement(encodeStatement(signed)), signed)).toBe(true);
  });
});

describe('round trips (property, 10,000 random statements)', () => {
  test('decode(encode(s)) = s, alone and as a list sharing one name table', () => {
    fc.assert(fc.property(anyStatement, (s) => {
      expect(statementEquals(decodeStatement(encodeStatement(s)), s)).toBe(true);
    }), { numRuns: 10000 });
    fc.assert(fc.property(fc.array(anyStatement, { maxLength: 6 }), (list) => {
      const back = decodeStatementList(encodeStatementList(list));
      expect(back.length).toBe(list.length);
      back.forEach((s, i) => expect(statementEquals(s, list[i]!)).toBe(true));
    }), { numRuns: 1000 });
  });

  test('parse(print(s)) = s', () => {
    fc.assert(fc.property(anyStatement, (s) => {
      expect(statementEquals(parseStatement(printStatement(s)), s)).toBe(true);
    }), { numRuns: 10000 });
  });

  test('terms round trip through the codec', () => {
    fc.assert(fc.property(anyTerm, (t) => {
      expect(termEquals(decodeTerm(encodeTerm(t).bytes), t)).toBe(true);
    }), { numRuns: 2000 });
  });

  test('terms 100,000 deep encode, decode and print without exhausting the stack', () => {
    let left = Var(n('x'));
    let nested = Num(0n);
    for (let i = 0; i < 100000; i++) {
      left = App(left, Num(1n));
      nested = Ctr(n('Succ'), [nested]);
    }
    for (const expr of [left, nested]) {
      const s: Statement = { tag: 'Run', expr, sign: null };
      const back = decodeStatement(encodeStatement(s));
      expect(back.tag === 'Run' && printTerm(back.expr)).toBe(printTerm(expr));
    }
    expect(printTerm(nested).length).toBe(100000 * '{Succ }'.length + '#0'.length);
  });

  test('constructors keep their argument order', () => {
    const s: Statement = { tag: 'Run', expr: Ctr(n('T3'), [Num(1n), Num(2n), Num(3n)]), sign: null };
    expect(statementEquals(decodeStatement(encodeStatement(s)), s)).toBe(true);
  });
});
