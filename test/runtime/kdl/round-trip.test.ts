import fc from 'fast-check';
import {
  GENESIS_TEXT, PrintError, checkViewable, decodeStatementList, encodeStatementList, parseStatements, readStatementList,
  roundTripStatementList, statementEquals, viewStatement,
} from '../../../runtime/kdl/index.js';
import { looseStatement, statement as anyStatement } from './arbitraries.js';

describe('roundTripStatementList (what `kindelia test` runs)', () => {
  test('statements that come back equal are kept as they are, and the text is unchanged', () => {
    const { statements } = parseStatements(GENESIS_TEXT);
    const result = roundTripStatementList(statements);
    expect(result.faithful).toBe(true);
    expect(result.statements).toHaveLength(statements.length);
    result.statements.forEach((s, i) => expect(s).toBe(statements[i]));
  });

  test('same statements as decodeStatementList(encodeStatementList(…)) (property)', () => {
    fc.assert(fc.property(fc.array(anyStatement, { maxLength: 5 }), (list) => {
      const result = roundTripStatementList(list);
      const decoded = decodeStatementList(encodeStatementList(list));
      expect(result.faithful).toBe(true);
      expect(result.statements.length).toBe(decoded.length);
      result.statements.forEach((s, i) => expect(statementEquals(s, decoded[i]!)).toBe(true));
    }), { numRuns: 500 });
  });

  test('throws the PrintError where the original aborts printing, as viewStatement does', () => {
    const { statements } = parseStatements('ctr {A}\nrun { {T1 {Name #x1000000000000000000000}} }');
    expect(() => roundTripStatementList(statements)).toThrow(PrintError);
    expect(() => roundTripStatementList(statements)).toThrow('Cannot print {Name #19342813113834066795298816}: the number does not fit in a 72-bit name.');
  });

  test('checkViewable throws exactly when viewStatement does (property)', () => {
    fc.assert(fc.property(looseStatement, (s) => {
      let viewError: unknown;
      try { viewStatement(s); } catch (err) { viewError = err; }
      let checkError: unknown;
      try { checkViewable(s); } catch (err) { checkError = err; }
      expect(checkError === undefined).toBe(viewError === undefined);
      if (viewError !== undefined) expect((checkError as PrintError).message).toBe((viewError as PrintError).message);
    }), { numRuns: 2000 });
  });

  test('readStatementList hands out the list one statement at a time, strictly', () => {
    const { statements } = parseStatements(GENESIS_TEXT);
    const bytes = encodeStatementList(statements);
    expect([...readStatementList(bytes)].length).toBe(statements.length);
    expect(() => [...readStatementList(new Uint8Array([...bytes, 1]))]).toThrow(/1 byte left over after the statement list/);
  });
});
