import { lexSource } from '../../../compiler/syntax/index.js';
import { describeAll, expr, parse, strip } from './helpers.js';

const images = (text: string): string[] => lexSource(text, 't.kind').tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer (language.md §2)', () => {
  test('identifiers: dots belong to names, `/` only after an upper name, holes and inspections', () => {
    expect(images('Data.List.cons xs.head L/cons _ _x ?goal ? x.y.z')).toEqual([
      'UpperId:Data.List.cons', 'PlainLower:xs.head', 'UpperId:L/cons', 'Hole:_', 'Hole:_x', 'Help:?goal', 'Help:?', 'PlainLower:x.y.z',
    ]);
  });

  test('keywords are recognised by the lexer but stay usable as names where a name is expected', () => {
    expect(images('do match let if else open specialize into in type record constructor use as ask return with done types'))
      .toEqual([
        'Kw_do:do', 'Kw_match:match', 'Kw_let:let', 'Kw_if:if', 'Kw_else:else', 'Kw_open:open', 'Kw_specialize:specialize',
        'Kw_into:into', 'Kw_in:in', 'Kw_type:type', 'Kw_record:record', 'Kw_constructor:constructor', 'Kw_use:use', 'Kw_as:as',
        'Kw_ask:ask', 'Kw_return:return', 'Kw_with:with', 'PlainLower:done', 'PlainLower:types',
      ]);
  });

  test('punctuation: longest operator first', () => {
    expect(images('=> == = :: : -> - .. . << <= < >> >= > != ! @= @ += + ## #').map((s) => s.split(':').pop()))
      .toEqual(['=>', '==', '=', '', '', '->', '-', '..', '.', '<<', '<=', '<', '>>', '>=', '>', '!=', '!', '@=', '@', '+=', '+', '##', '#']);
  });

  test('numbers: bases, underscores, suffixes (§2.5)', () => {
    const values = (text: string): unknown => strip(expr(text));
    expect(values('0xFF')).toEqual({ kind: 'Num', numType: 'U60', value: '255n', raw: '0xFF' });
    expect(values('0o17')).toMatchObject({ value: '15n' });
    expect(values('0b1010')).toMatchObject({ value: '10n' });
    expect(values('1_000_000')).toMatchObject({ value: '1000000n' });
    expect(values('0x')).toMatchObject({ value: '0n' });
    expect(values('7u60')).toMatchObject({ numType: 'U60', value: '7n' });
    expect(values('5U120')).toEqual({ kind: 'Num', numType: 'U120', value: '5n', raw: '5U120' });
    expect(values('3n')).toEqual({ kind: 'Nat', value: '3n', raw: '3n' });
    expect(values('0x1_0N')).toMatchObject({ kind: 'Nat', value: '16n' });
  });

  test('characters and strings decode escapes (§2.6)', () => {
    expect(strip(expr("'A'"))).toEqual({ kind: 'Char', value: 65, raw: "'A'" });
    expect(strip(expr("'\\n'"))).toMatchObject({ value: 10 });
    expect(strip(expr("'\\x41'"))).toMatchObject({ value: 65 });
    expect(strip(expr("'\\u00e9'"))).toMatchObject({ value: 0xe9 });
    expect(strip(expr("'\\q'"))).toMatchObject({ value: 'q'.charCodeAt(0) });
    expect(strip(expr("'😀'"))).toMatchObject({ value: 0x1f600 });
    expect(strip(expr('"a\\tb\\"c\\\\ \\x41\\u0042"'))).toMatchObject({ kind: 'Str', value: 'a\tb"c\\ AB' });
    expect(strip(expr('"two\nlines"'))).toMatchObject({ value: 'two\nlines' });
  });

  test('comments: line, nested block, documentation', () => {
    const lexed = lexSource('a // one\n/* x /* y */ z */ b //! doc\n/**/c', 't.kind');
    expect(lexed.tokens.map((t) => t.image)).toEqual(['a', 'b', 'c']);
    expect(lexed.comments.map((c) => c.text)).toEqual(['// one', '/* x /* y */ z */', '/**/']);
    expect(lexed.docs.map((d) => d.text)).toEqual([' doc']);
    expect(lexed.diagnostics).toEqual([]);
  });

  test('`///` is an ordinary comment, `//!` a documentation comment (§11)', () => {
    const lexed = lexSource('/// plain\n//! doc', 't.kind');
    expect(lexed.comments.map((c) => c.text)).toEqual(['/// plain']);
    expect(lexed.docs.map((d) => d.text)).toEqual([' doc']);
  });

  describe('malformed input gives one diagnostic each, with code and place', () => {
    test.each([
      ['Main : Type { § }', ['KD0001@1:15']],
      ['Main : Type { "abc }', ['KD0002@1:15']],
      // (`'ab'` is a name literal now; a space is not a name character.)
      ["Main : Type { 'a b' }", ['KD0003@1:15', 'KD0003@1:19']],
      ['Main : Type { 1 }\n/* open /* nested */', ['KD0004@2:1']],
      ['Main : Type { "bad \\x4g" }', ['KD0005@1:20']],
      ["Main : Type { '\\u12' }", ['KD0005@1:16']],
      ['Main : Type { 5u32 }', ['KD0006@1:15']],
      ['Main : Type { 1152921504606846976 }', ['KD0007@1:15']],
      ['Main : Type { 1329227995784915872903807060280344576u120 }', ['KD0007@1:15']],
    ])('%j', (text, expected) => {
      expect(describeAll(parse(text).diagnostics).filter((d) => !d.startsWith('KD01'))).toEqual(expected);
    });

    test('the largest U60 and U120 are accepted', () => {
      expect(parse('Main : Type { 1152921504606846975 }').diagnostics).toEqual([]);
      expect(parse('Main : Type { 1329227995784915872903807060280344575u120 }').diagnostics).toEqual([]);
    });

    test('a bad suffix still yields a number, so the rest parses', () => {
      const result = parse('A : Data.U60 { 5u7 }\nB : Data.U60 { 1 }');
      expect(describeAll(result.diagnostics)).toEqual(['KD0006@1:16']);
      expect(result.ast.items.map((i) => i.name.name)).toEqual(['A', 'B']);
    });
  });
});
