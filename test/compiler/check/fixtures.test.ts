/**
 * The fixture programs (fixtures/ok, fixtures/fail; format in fixtures/README.md): each
 * states its verdict in a header — `// expect: ok`, or `// expect: error KIND line N`
 * (`warning` for warnings, `goal` with `// goal:` and `// context:` lines) — and is checked
 * on its own, over the stdlib.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnosticsOf } from './helpers.js';

const here = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The diagnostic codes each kind of verdict may be reported with. */
const CODES: Record<string, readonly string[]> = {
  'type-mismatch': ['KD1001'],
  'missing-case': ['KD1101', 'KD1014'],
  'unreachable-rule': ['KD1102'],
  'impossible-case': ['KD1008'],
  'non-terminating': ['KD1201'],
  'non-positive': ['KD1301'],
  'unbound-name': ['KD0201', 'KD1017'],
  'wrong-arity': ['KD1004', 'KD1005', 'KD1006'],
  'unsolved-hole': ['KD1010'],
  goal: ['KD1011'],
  'erased-in-relevant': ['KD1401', 'KD1402'],
  'literal-too-large': ['KD0007', 'KD1012'],
  'cannot-infer': ['KD1002', 'KD1010'],
};

interface Expectation { kind: string; line?: number; goal?: string; context?: string }

function expectation(source: string): Expectation {
  const expect = /^\/\/ expect: (.*)$/m.exec(source)?.[1]?.trim();
  if (expect === undefined) throw new Error('no `// expect:` header');
  if (expect === 'ok') return { kind: 'ok' };
  const m = /^(?:(?:error|warning) )?([a-z-]+) line (\d+)$/.exec(expect);
  if (m === null) throw new Error(`unreadable header: ${expect}`);
  const out: Expectation = { kind: m[1]!, line: Number(m[2]) };
  const goal = /^\/\/ goal: (.*)$/m.exec(source)?.[1];
  const context = /^\/\/ context: (.*)$/m.exec(source)?.[1];
  if (goal !== undefined) out.goal = goal.trim();
  if (context !== undefined) out.context = context.trim();
  return out;
}

function fixtures(folder: string): [string, string][] {
  return readdirSync(join(here, folder)).filter((f) => f.endsWith('.kind')).sort()
    .map((f) => [f, readFileSync(join(here, folder, f), 'utf8')]);
}

describe('fixtures that must check', () => {
  test.each(fixtures('ok'))('%s', (_file, source) => {
    expect(expectation(source).kind).toBe('ok');
    const found = diagnosticsOf(source).filter((d) => d.severity !== 'info');
    expect(found.map((d) => `${d.code} ${d.span.start.line}: ${d.message}`)).toEqual([]);
  });
});

describe('fixtures that must fail', () => {
  test.each(fixtures('fail'))('%s', (_file, source) => {
    const want = expectation(source);
    const codes = CODES[want.kind];
    expect(codes).toBeDefined();
    const found = diagnosticsOf(source).filter((d) => d.severity === 'error' || d.severity === 'warning');
    const summary = found.map((d) => `${d.code} ${d.span.start.line}: ${d.message}`);
    expect(summary.length).toBeGreaterThan(0);
    // Every diagnostic is of the expected kind, and one is at the expected line.
    expect({ all: found.every((d) => codes!.includes(d.code)), summary }).toEqual({ all: true, summary });
    expect(found.some((d) => d.span.start.line === want.line)).toBe(true);
    if (want.goal !== undefined) {
      const goal = found.find((d) => 'goal' in d && d.goal !== undefined);
      const g = goal !== undefined && 'goal' in goal ? goal.goal : undefined;
      expect(g?.expected).toBe(want.goal);
      if (want.context !== undefined) {
        const context = g?.context.map((c) => `${c.name} : ${c.type}`).join(', ') ?? '';
        expect(context).toBe(want.context === '(empty)' ? '' : want.context);
      }
    }
  });
});
