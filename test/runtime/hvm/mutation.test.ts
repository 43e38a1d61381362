/**
 * Property: no program reaches an internal error or throws out of the runtime. The inputs are
 * edits of the conformance programs that still parse (skipped when the corpus is absent).
 */
import fc from 'fast-check';
import { applyEdit, textEdit } from '../../text-edits.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KdlParseError, parseStatements, type Statement } from '../../../runtime/kdl/index.js';
import { Runtime } from '../../../runtime/hvm/index.js';

const corpus = process.env.KINDLING_CONFORMANCE ?? join(process.cwd(), '..', 'shared', 'conformance', 'kdl');
const programs = existsSync(corpus)
  ? readdirSync(corpus).map((d) => join(corpus, d)).filter((d) => statSync(d).isDirectory())
    .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.kdl')).map((f) => readFileSync(join(d, f), 'utf8')))
  : [];

const edit = textEdit('(){}[]@#~!=;+-*/%<>\'xyzABC012 \n');

(programs.length > 0 ? test : test.skip)('edited conformance programs never hit an internal error', () => {
  fc.assert(fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
    const text = edits.reduce(applyEdit, programs[which % programs.length]!);
    let statements: Statement[];
    try {
      statements = parseStatements(text).statements;
    } catch (e) {
      expect(e).toBeInstanceOf(KdlParseError);
      return;
    }
    const outcomes = new Runtime().runStatements(statements);
    for (const o of outcomes) if (!o.ok) expect(o.error).not.toMatch(/Internal error/);
  }), { numRuns: 600 });
});
