import { formatSource } from '../../compiler/syntax/index.js';
import { startClient, type LspClient } from './client.js';

const MAIN = [
  'Twice (n: Data.Nat) : Data.Nat',
  'Twice n = Data.Nat.add n n',
  '',
  'Goal (x: Data.Nat) : Data.Nat { ?here }',
  '',
].join('\n');

describe('kindling lsp --stdio: life cycle, diagnostics, hover, goals', () => {
  let client: LspClient;
  beforeAll(async () => { client = await startClient({ 'Main.kind': MAIN }); }, 30_000);
  afterAll(async () => { await client?.close(); });

  it('announces incremental sync and its features', () => {
    const caps = client.initialized.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.hoverProvider).toBe(true);
    expect(caps.documentFormattingProvider).toBe(true);
  });

  it('publishes diagnostics on open (the goal at the ?hole) and clears them when fixed', async () => {
    const first = client.diagnostics('Main.kind', (d) => d.length > 0);
    await client.open('Main.kind');
    const diagnostics = await first;
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character])).toEqual([['KD1011', 3, 32]]);
    const cleared = client.diagnostics('Main.kind', (d) => d.length === 0);
    await client.change('Main.kind', 2, [{ range: { start: { line: 3, character: 32 }, end: { line: 3, character: 37 } }, text: 'x' }]);
    expect(await cleared).toEqual([]);
    const broken = client.diagnostics('Main.kind', (d) => d.some((x) => x.code === 'KD1001'));
    await client.change('Main.kind', 3, [{ range: { start: { line: 3, character: 32 }, end: { line: 3, character: 33 } }, text: '7' }]);
    const mismatch = (await broken).find((d) => d.code === 'KD1001')!;
    expect(mismatch.range).toEqual({ start: { line: 3, character: 32 }, end: { line: 3, character: 33 } });
    await client.change('Main.kind', 4, [{ range: { start: { line: 3, character: 32 }, end: { line: 3, character: 33 } }, text: '?here' }]);
    await client.diagnostics('Main.kind', (d) => d.length === 1 && d[0]!.code === 'KD1011');
  });

  it('hovers a binder, an expression and a top-level name with its signature', async () => {
    const binder = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 1, character: 6 } });
    expect(binder.contents.value).toContain('n : Data.Nat');
    const name = await client.request<{ contents: { value: string }; range: unknown }>('textDocument/hover', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 1, character: 14 } });
    expect(name.contents.value).toContain('Data.Nat.add (a: Data.Nat) (b: Data.Nat) : Data.Nat');
    expect(name.range).toEqual({ start: { line: 1, character: 10 }, end: { line: 1, character: 22 } });
    const nothing = await client.request('textDocument/hover', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 2, character: 0 } });
    expect(nothing).toBeNull();
  });

  it('answers kindling/goal at a hole with the expected type and the context, null elsewhere', async () => {
    const goal = await client.request<{ name: string; goal: string; context: unknown[] }>('kindling/goal', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 3, character: 34 } });
    expect(goal).toMatchObject({ name: 'here', goal: 'Data.Nat', context: [{ name: 'x', type: 'Data.Nat' }] });
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 3, character: 34 } });
    expect(hover.contents.value).toContain('x : Data.Nat\n⊢ Data.Nat');
    expect(await client.request('kindling/goal', { textDocument: { uri: client.uri('Main.kind') }, position: { line: 0, character: 0 } })).toBeNull();
  });

  it('formats the document with the kindling fmt formatter', async () => {
    await client.open('Fmt.kind', 'Id   (x:Data.Nat) : Data.Nat { x }\n');
    const edits = await client.request<Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>>('textDocument/formatting', { textDocument: { uri: client.uri('Fmt.kind') }, options: { tabSize: 2, insertSpaces: true } });
    // One minimal edit, and applying it gives exactly what `kindling fmt` prints.
    expect(edits).toHaveLength(1);
    const text = 'Id   (x:Data.Nat) : Data.Nat { x }\n';
    const [edit] = edits;
    expect(edit!.range.start.line).toBe(0);
    expect(edit!.range.end.line).toBe(0);
    const applied = text.slice(0, edit!.range.start.character) + edit!.newText + text.slice(edit!.range.end.character);
    expect(applied).toBe(formatSource(text, 'Fmt.kind').text);
    expect(applied).not.toBe(text);
  });

  it('shuts down and exits with status 0', async () => {
    const c = await startClient({ 'A.kind': 'A : Data.Nat { Data.Nat.zero }\n' });
    expect(await c.close()).toBe(0);
  });
});
