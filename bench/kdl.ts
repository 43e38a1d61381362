/**
 * Statement codec figures: parse, print, serialize, deserialize and hash rates
 * over a generated corpus of realistic statements.
 */
import { decodeStatement, encodeStatement, parseStatements, printStatements, type Statement } from '../runtime/kdl/index.js';
import { statementHash } from '../runtime/crypto/index.js';
import { bestOf, perSecond, row } from './_timing.js';

function corpus(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0: parts.push(`ctr {Node${i} left right value}`); break;
      case 1: parts.push(`fun (Sum${i} tree) {\n  (Sum${i} {Leaf x}) = x\n  (Sum${i} {Node a b}) = (+ (Sum${i} a) (Sum${i} b))\n}`); break;
      case 2: parts.push(`run { ask x = (Take); ask (Save (+ x #${i})); (Done {T2 x #${i * 7919}}) }`); break;
      default: parts.push(`fun (Loop${i} n acc) {\n  (Loop${i} #0 acc) = acc\n  (Loop${i} n acc) = dup a b = n; (Loop${i} (- a #1) (+ acc b))\n} with { #${i} }`);
    }
  }
  return parts.join('\n');
}

const COUNT = 20000;
const text = corpus(COUNT);
const lines = text.split('\n').length;

const parsed = bestOf(3, () => parseStatements(text).statements);
const statements: Statement[] = parsed.result;
row(`parse ${COUNT} statements (${lines} lines)`, `${parsed.ms.toFixed(1)} ms  (${perSecond(COUNT, parsed.ms)} statements, ${perSecond(lines, parsed.ms)} lines)`);

const printed = bestOf(3, () => printStatements(statements));
row('print', `${printed.ms.toFixed(1)} ms  (${perSecond(COUNT, printed.ms)} statements)`);

const encoded = bestOf(3, () => statements.map(encodeStatement));
const bytes = encoded.result.reduce((n, b) => n + b.length, 0);
row('serialize', `${encoded.ms.toFixed(1)} ms  (${perSecond(COUNT, encoded.ms)} statements, ${(bytes / 1024).toFixed(0)} KiB)`);

const decoded = bestOf(3, () => encoded.result.map(decodeStatement));
row('deserialize', `${decoded.ms.toFixed(1)} ms  (${perSecond(COUNT, decoded.ms)} statements)`);

const hashed = bestOf(3, () => statements.map(statementHash));
row('statement hash (encode + keccak-256)', `${hashed.ms.toFixed(1)} ms  (${perSecond(COUNT, hashed.ms)} statements)`);
