/** Reading `.kdl` files into statements, with parse errors shown at their place. */
import type { Statement } from '../runtime/kdl/index.js';
import { KdlParseError, formatParseError, parseStatements } from '../runtime/kdl/index.js';
import { CliError, readTextFile } from './io.js';

export function parseKdlSource(source: string, file: string): Statement[] {
  try {
    return parseStatements(source).statements;
  } catch (e) {
    if (e instanceof KdlParseError) throw new CliError(formatParseError(e, source, file));
    throw e;
  }
}

export function readKdlFile(path: string): Statement[] {
  return parseKdlSource(readTextFile(path), path);
}
