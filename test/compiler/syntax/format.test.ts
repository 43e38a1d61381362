/**
 * The formatter: parse → format → parse gives the same tree (spans aside) and keeps every
 * comment; formatting twice changes nothing; files with syntax errors are refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSource, parseSource, withoutSpans } from '../../../compiler/syntax/index.js';
import { describeAll } from './helpers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function sources(folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.kind2?$/.test(name)) out.push(path);
    }
  };
  visit(join(repo, folder));
  return out;
}

function format(text: string): string {
  const result = formatSource(text, 'test.kind');
  expect(describeAll(result.diagnostics)).toEqual([]);
  return result.text!;
}

/** Formats, checks the round trip and idempotence, returns the output. */
function roundTrip(text: string, file = 'test.kind'): string {
  const before = parseSource(text, file);
  expect(describeAll(before.diagnostics)).toEqual([]);
  const once = formatSource(text, file).text!;
  const after = parseSource(once, file);
  expect(describeAll(after.diagnostics)).toEqual([]);
  expect(withoutSpans(after.ast.items)).toEqual(withoutSpans(before.ast.items));
  expect(withoutSpans(after.ast.uses)).toEqual(withoutSpans(before.ast.uses));
  expect(after.ast.comments.map((c) => c.text.trimEnd())).toEqual(before.ast.comments.map((c) => c.text.trimEnd()));
  expect(formatSource(once, file).text).toBe(once);
  return once;
}

describe('formatting the stdlib and the examples', () => {
  const files = [...sources('stdlib'), ...sources('examples')];

  test('there is something to format', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  test.each(files.map((f) => [f.slice(repo.length), f]))('%s: parse → format → parse is the identity, formatting is idempotent', (_name, path) => {
    roundTrip(readFileSync(path, 'utf8'), path);
  });

  test.each(files.map((f) => [f.slice(repo.length), f]))('%s is in canonical form', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    expect(formatSource(text, path).text).toBe(text);
  });
});

describe('canonical layout', () => {
  test('spacing, arguments, one rule per line, short bodies inline', () => {
    expect(format('Inc   (n :Data.U60):Data.U60{(+ n   1)}\nF <a> -(b) +<c: Type> : Type\nF  x= x')).toBe(
      'Inc (n: Data.U60) : Data.U60 { (+ n 1) }\nF <a> -(b) +<c: Type> : Type\nF x = x\n');
  });

  test('blocks: match, do, if, let chains and open get one construct per line', () => {
    expect(format('M (x: T) : Type { match T x { a => 1; b => do M { ask y = f; return y } } }')).toBe(`M (x: T) : Type {
  match T x {
    a => 1
    b => do M {
      ask y = f
      return y
    }
  }
}
`);
    expect(format('R : Type\nR = let a = 1; let b = 2; open P a; (+ a b)')).toBe(`R : Type
R =
  let a = 1
  let b = 2
  open P a
  (+ a b)
`);
  });

  test('parentheses only where the grammar needs them', () => {
    const body = (text: string) => format(`M : Type\nM = ${text}\n`).split('\n')[1]!.slice(4);
    expect(body('((f) (x))')).toBe('f x');
    expect(body('((F) x)')).toBe('(F) x');
    expect(body('((Type) x)')).toBe('(Type) x');
    expect(body('(F (x => y))')).toBe('F (x => y)');
    expect(body('((x :: A) :: B)')).toBe('(x :: A) :: B');
    expect(body('(((A -> B)) :: T)')).toBe('(A -> B) :: T');
    expect(body('(A -> (B :: T))')).toBe('A -> B :: T');
    expect(body('((A -> B) -> C)')).toBe('(A -> B) -> C');
    expect(body('[(f x), y]')).toBe('[(f x), y]');
    expect(body('[a b c]')).toBe('[a, b, c]');
    expect(body('f ((x: A))')).toBe('f (x :: A)');
    expect(body('$(f x) (g y)')).toBe('$(f x) (g y)');
  });

  test('a grouped application that spans lines is put on one line', () => {
    expect(format('A : Type\nA = (Foo\n  a\n  b)\n')).toBe('A : Type\nA = Foo a b\n');
  });

  test('a long rule puts its body on the next line', () => {
    const long = `Data.Foo.bar (Data.Foo.new aaaaaaaaaaaa bbbbbbbbbbb) = Data.Bool.and (Data.U60.equal aaaaaaaaaaaa bbbbbbbbbbb) (Data.Foo.bar x)`;
    expect(format(`Data.Foo.bar (x: Data.Foo) : Data.Bool\n${long}\n`).split('\n').slice(1, 3))
      .toEqual(['Data.Foo.bar (Data.Foo.new aaaaaaaaaaaa bbbbbbbbbbb) =', '  Data.Bool.and (Data.U60.equal aaaaaaaaaaaa bbbbbbbbbbb) (Data.Foo.bar x)']);
  });
});

describe('comments', () => {
  test('end-of-line comments stay at the end of their line; others go on their own line before the code after them', () => {
    const out = roundTrip(`// file header

use Data.List as L // the list alias

//! Docs stay with their item.
#keep // why we keep it
F (x: Data.U60) : Data.U60 // the type
F x = (G   // first argument
  x /* second */ x)
// between rules
F y = y

type T {
  // before a constructor
  a // the a constructor
  b
}
/* trailing
   block */
`);
    expect(out).toBe(`// file header

use Data.List as L // the list alias

//! Docs stay with their item.
#keep // why we keep it
F (x: Data.U60) : Data.U60 // the type
// first argument
/* second */
F x = G x x
// between rules
F y = y

type T {
  // before a constructor
  a // the a constructor
  b
}
/* trailing
   block */
`);
  });

  test('comments inside blocks keep their indentation level', () => {
    expect(roundTrip(`M (x: T) : Type {
  match T x {
    // the first case
    a => 1 // one
    b => 2
    // after the last case
  }
}
`)).toBe(`M (x: T) : Type {
  match T x {
    // the first case
    a => 1 // one
    b => 2
    // after the last case
  }
}
`);
  });

  test('blank lines between items and between statements are kept, at most one', () => {
    expect(roundTrip('A : Type\n\n\n\nB : Type\nC : Type\n')).toBe('A : Type\n\nB : Type\nC : Type\n');
    expect(roundTrip('A : Type {\n  do M {\n    ask x = f\n\n    return x\n  }\n}\n')).toBe('A : Type {\n  do M {\n    ask x = f\n\n    return x\n  }\n}\n');
  });
});

describe('line endings and blanks', () => {
  test('CRLF input formats to LF output with the same tree', () => {
    const text = '//! Doc\r\nA : Type // a\r\nA = Type\r\n';
    expect(roundTrip(text)).toBe('//! Doc\nA : Type // a\nA = Type\n');
  });

  test('tabs and trailing blanks do not survive', () => {
    expect(format('A\t:\tType   \nA =\tType\t\n')).toBe('A : Type\nA = Type\n');
  });
});

describe('files with errors', () => {
  test('are not formatted; the diagnostics say why', () => {
    const result = formatSource('A : Type\nA = (\n', 'bad.kind');
    expect(result.text).toBeUndefined();
    expect(describeAll(result.diagnostics)).toEqual(['KD0102@3:1']);
  });
});

describe('blank lines around docs and attributes (found by fuzzing)', () => {
  const format = (text: string): string => {
    const result = formatSource(text, 'blank.kind');
    expect(result.text).toBeDefined();
    return result.text!;
  };

  test.each([
    ['a blank line between a doc and an attribute stays there', '//! Doc.\n\n#derive[match]\nrecord P (a: Type) {\n  fst : a\n}\n'],
    ['a doc line ending in { keeps the blank line after it', '//! Doc {\n\n#derive[match]\nrecord P (a: Type) {\n  fst : a\n}\n'],
    ['a block comment and a line comment between an attribute and its item', '//! Doc.\n#derive[match] /* a /* nested */ note */\n\n// hi\nrecord P (a: Type) {\n  fst : a\n}\n'],
  ])('%s, and formatting is idempotent', (_name, source) => {
    const once = format(source);
    expect(once).toBe(source);
    expect(format(once)).toBe(once);
  });

  test('no blank line appears between an attribute and its item', () => {
    expect(format('//! Doc.\n\n#derive[match]\nrecord P (a: Type) {\n  fst : a\n}\n')).toContain('#derive[match]\nrecord P');
  });
});
