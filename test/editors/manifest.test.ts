/**
 * The VS Code extension's manifest (editors/vscode/package.json), its language
 * configuration, and the grammar's keywords against language.md §2.4 and the lexer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index.js';
import { lexSource } from '../../compiler/syntax/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const EXTENSION = join(root, 'editors/vscode');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

interface Manifest {
  name: string; publisher: string; main: string; license: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    languages: { id: string; aliases: string[]; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[]; items?: { type: string } }> };
  };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = readJson(join(EXTENSION, 'package.json')) as Manifest;

/** language.md §2.4 as written when this test was: the three reserved words, then the positional ones. */
const KEYWORDS = ['ask', 'return', 'with', 'do', 'match', 'let', 'if', 'else', 'open', 'specialize', 'into', 'in', 'type', 'record', 'constructor', 'use', 'as'];
const KEYWORD_SCOPES = ['keyword.control.kind', 'keyword.other.kind', 'storage.type.kind'];

/** The spec beside the repository (shared/ next to the clone, as on CI) or in the workplace. */
function specKeywords(): string[] | undefined {
  const spec = [join(root, '..', 'shared', 'spec', 'language.md'), '/work/shared/spec/language.md'].find(existsSync);
  if (spec === undefined) return undefined;
  const text = readFileSync(spec, 'utf8');
  const section = /^### 2\.4 Keywords\n([\s\S]*?)^### /m.exec(text);
  if (section === null) throw new Error(`${spec} has no §2.4 Keywords section`);
  // The words are the backquoted ones before the closing remark ("A variable named, say, `open` …").
  const list = section[1]!.split(/\nA variable named/)[0]!;
  return [...new Set([...list.matchAll(/`([a-z]+)`/g)].map((m) => m[1]!))];
}

test('identity, entry point, activation and engines', () => {
  expect(manifest).toMatchObject({
    name: 'kindling-vscode', publisher: 'kindling', main: './out/extension.js', license: 'MIT',
    engines: { vscode: '^1.82.0' }, activationEvents: ['onLanguage:kind'],
  });
  expect(existsSync(join(EXTENSION, 'src/extension.ts'))).toBe(true);
  expect(existsSync(join(EXTENSION, 'LICENSE'))).toBe(true);
  expect(existsSync(join(EXTENSION, 'README.md'))).toBe(true);
});

test('the kind language: .kind and .kind2, with a configuration file that exists', () => {
  const [language, ...others] = manifest.contributes.languages;
  expect(others).toEqual([]);
  expect(language).toMatchObject({ id: 'kind', extensions: ['.kind', '.kind2'] });
  expect(language!.aliases).toContain('Kind');
  expect(existsSync(join(EXTENSION, language!.configuration))).toBe(true);
});

test('the grammar is declared for kind, exists, parses, and has the declared scope name', () => {
  const [grammar, ...others] = manifest.contributes.grammars;
  expect(others).toEqual([]);
  expect(grammar).toMatchObject({ language: 'kind', scopeName: 'source.kind' });
  const path = join(EXTENSION, grammar!.path);
  expect(existsSync(path)).toBe(true);
  const json = readJson(path) as { scopeName: string; fileTypes: string[] };
  expect(json.scopeName).toBe(grammar!.scopeName);
  expect(json.fileTypes).toEqual(['kind', 'kind2']);
});

test('every include in the grammar names a repository rule, and every rule is used', () => {
  const grammar = readJson(join(EXTENSION, 'syntaxes/kind.tmLanguage.json')) as { repository: Record<string, unknown> };
  const includes = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'include' && typeof x === 'string') includes.add(x);
        else walk(x);
      }
    }
  };
  walk(grammar);
  const rules = Object.keys(grammar.repository);
  for (const include of includes) expect(include === '$self' || (include.startsWith('#') && rules.includes(include.slice(1)))).toBe(true);
  for (const rule of rules) expect({ rule, used: includes.has(`#${rule}`) }).toEqual({ rule, used: true });
});

test('settings: the server path (default kindling), extra arguments, and the trace level', () => {
  const props = manifest.contributes.configuration.properties;
  expect(props['kindling.server.path']).toMatchObject({ type: 'string', default: 'kindling' });
  expect(props['kindling.server.extraArgs']).toMatchObject({ type: 'array', items: { type: 'string' }, default: [] });
  expect(props['kindling.trace.server']).toMatchObject({ type: 'string', enum: ['off', 'messages', 'verbose'], default: 'off' });
});

test('every contributed command is registered by the extension, and the client speaks kindling/goal over lsp --stdio', () => {
  const source = readFileSync(join(EXTENSION, 'src/extension.ts'), 'utf8');
  expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(['kindling.restartServer', 'kindling.showGoal']);
  for (const { command } of manifest.contributes.commands) expect(source).toContain(`registerCommand('${command}'`);
  expect(source).toContain("new RequestType<GoalParams, unknown, void>('kindling/goal')");
  expect(source).toContain('transport: TransportKind.stdio');
  expect(source).toContain("new LanguageClient('kindling'");
  expect(readFileSync(join(EXTENSION, 'src/server.ts'), 'utf8')).toContain("const args = ['lsp', ...settings.extraArgs];");
});

test('dependencies are pinned to exact versions, and @types/vscode is no newer than the engine', () => {
  const all = { ...manifest.dependencies, ...manifest.devDependencies };
  expect(Object.keys(manifest.dependencies)).toEqual(['vscode-languageclient']);
  expect(Object.keys(manifest.devDependencies).sort()).toEqual(['@types/node', '@types/vscode', '@vscode/vsce', 'typescript']);
  for (const [name, version] of Object.entries(all)) expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  const engine = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  const types = manifest.devDependencies['@types/vscode']!.split('.').map(Number);
  expect(types[0]! * 1000 + types[1]!).toBeLessThanOrEqual(engine[0]! * 1000 + engine[1]!);
  expect(manifest.scripts).toMatchObject({ compile: 'tsc -p .' });
  expect(manifest.scripts['package']).toMatch(/^vsce package/);
});

test('the in-test keyword list is language.md §2.4 (when the spec is at hand) and the lexer\'s keywords', () => {
  const fromSpec = specKeywords();
  if (fromSpec !== undefined) expect(fromSpec).toEqual(KEYWORDS);
  for (const kw of KEYWORDS) {
    const { tokens, diagnostics } = lexSource(kw, 'kw.kind');
    expect(diagnostics).toEqual([]);
    expect(tokens.map((t) => t.tokenType.name)).toEqual([`Kw_${kw}`]);
  }
});

test('every keyword is in a keyword pattern of the grammar, which does not match longer names', () => {
  const grammar = readJson(join(EXTENSION, 'syntaxes/kind.tmLanguage.json')) as { repository: Record<string, unknown> };
  const keywordPatterns: RegExp[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const rule = v as { match?: unknown; name?: unknown };
      if (typeof rule.match === 'string' && typeof rule.name === 'string' && KEYWORD_SCOPES.includes(rule.name)) keywordPatterns.push(new RegExp(rule.match));
      Object.values(v).forEach(walk);
    }
  };
  walk(grammar.repository);
  expect(keywordPatterns.length).toBe(3);
  for (const kw of specKeywords() ?? KEYWORDS) {
    expect({ kw, patterns: keywordPatterns.filter((p) => new RegExp(`^(?:${p.source})$`).test(kw)).length }).toEqual({ kw, patterns: 1 });
    for (const longer of [`${kw}x`, `${kw}_1`, `${kw}.y`, `${kw}$`]) {
      expect({ longer, matchedAt0: keywordPatterns.some((p) => p.exec(longer)?.index === 0) }).toEqual({ longer, matchedAt0: false });
    }
  }
});

test('every keyword is tokenized with a keyword scope where an expression may start', async () => {
  const grammar = await createRegistry([{ path: join(EXTENSION, 'syntaxes/kind.tmLanguage.json'), scopeName: 'source.kind' }]).loadGrammar('source.kind');
  if (grammar === null) throw new Error('source.kind did not load');
  for (const kw of specKeywords() ?? KEYWORDS) {
    const line = `Main = ${kw} x`;
    const token = grammar.tokenizeLine(line, null).tokens.find((t) => t.startIndex === 7);
    expect({ kw, text: line.slice(token!.startIndex, token!.endIndex), keyword: token!.scopes.some((s) => KEYWORD_SCOPES.includes(s)) })
      .toEqual({ kw, text: kw, keyword: true });
    const inName = grammar.tokenizeLine(`Main = xs.${kw}`, null).tokens.find((t) => t.startIndex === 7)!;
    expect({ kw, scopes: inName.scopes }).toEqual({ kw, scopes: ['source.kind', 'variable.other.kind'] });
  }
});

interface LanguageConfiguration {
  comments: { lineComment: string; blockComment: [string, string] };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  wordPattern: string;
}

const configuration = readJson(join(EXTENSION, 'language-configuration.json')) as LanguageConfiguration;

test('language configuration: the comment markers are the ones the lexer treats as comments', () => {
  expect(configuration.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
  const { lineComment, blockComment: [open, close] } = configuration.comments;
  const lexed = lexSource(`${lineComment} a\n${open} b ${open} nested ${close} c ${close} Main`, 'c.kind');
  expect(lexed.diagnostics).toEqual([]);
  expect(lexed.comments.map((c) => c.block)).toEqual([false, true]);
  expect(lexed.tokens.map((t) => t.image)).toEqual(['Main']);
});

test('language configuration: brackets, auto-closing (quotes not inside strings or comments) and surrounding pairs', () => {
  expect(configuration.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
  for (const pair of configuration.brackets) expect(configuration.autoClosingPairs).toContainEqual({ open: pair[0], close: pair[1] });
  for (const quote of ['"', "'"]) expect(configuration.autoClosingPairs).toContainEqual({ open: quote, close: quote, notIn: ['string', 'comment'] });
  for (const pair of [['(', ')'], ['[', ']'], ['{', '}'], ['"', '"'], ["'", "'"]]) expect(configuration.surroundingPairs).toContainEqual(pair);
});

test('language configuration: indentation grows after an unclosed opener and shrinks on a leading closer', () => {
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
  for (const line of ['Sum (xs: Data.List Data.U60) : Data.U60 {', '  match Data.List xs {', '  do IO {  // the effects', 'Add (n: Data.U60) : Data.U60 = (Add3', '  [1, 2,']) {
    expect({ line, increase: increase.test(line) }).toEqual({ line, increase: true });
  }
  for (const line of ['Inc (n: Data.U60) : Data.U60 { (+ n 1) }', '  nil => (+ a b)', '// a comment {', '  [1, 2]', 'Answer = 42']) {
    expect({ line, increase: increase.test(line) }).toEqual({ line, increase: false });
  }
  for (const line of ['}', '  }: Motive', '  )', ']']) expect({ line, decrease: decrease.test(line) }).toEqual({ line, decrease: true });
  for (const line of ['  x }', 'Main', '  (+ a b)']) expect({ line, decrease: decrease.test(line) }).toEqual({ line, decrease: false });
});

test('language configuration: a word is one name token as the lexer reads it (dots, `$`, `_`, `?`, `P/` paths, numbers)', () => {
  const word = new RegExp(configuration.wordPattern, 'y');
  for (const text of ['Data.Nat.succ', 'xs.head', 'x$1', 'P/rest', 'P/', '_', '_tmp', '?', '?goal1', '0xFFu120', '1_000n', 'OwO.2']) {
    word.lastIndex = 0;
    const lexed = lexSource(`${text} `, 'w.kind').tokens[0]!.image;
    expect({ text, word: word.exec(`${text} `)?.[0], lexed }).toEqual({ text, word: text, lexed: text });
  }
  const inCall = [...'(+ xs.head 1)'.matchAll(new RegExp(configuration.wordPattern, 'g'))].map((m) => m[0]);
  expect(inCall).toEqual(['xs.head', '1']);
});
