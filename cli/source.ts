/** Reading `.kdl` files into statements, with parse errors shown at their place. */
import type { Statement } from '../runtime/kdl/index.js';
import { statSync } from 'node:fs';
import { KdlParseError, checkKdlSourceSize, formatParseError, parseStatements } from '../runtime/kdl/index.js';
import { CliError, readTextFile } from './io.js';

export function parseKdlSource(source: string, file: string): Statement[] {
  try {
    return parseStatements(source).statements;
  } catch (e) {
    if (e instanceof KdlParseError) throw new CliError(formatParseError(e, source, file));
    throw e;
  }
}

/** A .kdl file's text, refused at once above the documented size (MAX_KDL_SOURCE_BYTES, 64 MiB). */
export function readKdlText(path: string): string {
  let size: number | undefined;
  try { size = statSync(path).size; } catch { size = undefined; /* readTextFile says why */ }
  if (size !== undefined) checkKdlSourceSize(size, path);
  return readTextFile(path);
}

export function readKdlFile(path: string): Statement[] {
  return parseKdlSource(readKdlText(path), path);
}
