/**
 * The statements the original's `kindelia test` actually runs: the file's
 * statements after a round trip through the list codec, and whether the original's text of
 * them is unchanged (its "serialization error, please report" note otherwise).
 */
import { statementEquals, type Statement } from './ast.js';
import { checkViewable, viewStatements } from './print.js';
import { encodeStatementList, readStatementList } from './serialize.js';

export interface ListRoundTrip {
  /** The decoded statements (a statement equal to its original is kept as the original object). */
  readonly statements: Statement[];
  /** The original's text of the decoded statements equals that of the given ones. */
  readonly faithful: boolean;
}

/**
 * As the original: its text of every statement first (throws the PrintError where the
 * original aborts), then encode the list, decode it, compare. Linear in time and holding one
 * copy of the statements: equal statements have equal text, so text is only built when some
 * statement came back different. Throws EncodeError for values the codec cannot write.
 */
export function roundTripStatementList(statements: readonly Statement[]): ListRoundTrip {
  for (const s of statements) checkViewable(s);
  const decoded: Statement[] = [];
  let same = true;
  let index = 0;
  for (const back of readStatementList(encodeStatementList(statements))) {
    const given = statements[index++];
    if (given !== undefined && statementEquals(back, given)) {
      decoded.push(given);
    } else {
      same = false;
      decoded.push(back);
    }
  }
  same &&= index === statements.length;
  return { statements: decoded, faithful: same || viewStatements(decoded) === viewStatements(statements) };
}
