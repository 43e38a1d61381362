/** `kindling kdl …`: Kindelia statements as text, bytes and hashes. */
import type { Argv } from 'yargs';
import {
  DecodeError, decodeStatement, encodeStatement, printStatement, printStatements, type Statement,
} from '../runtime/kdl/index.js';
import { bytesToHex, hexToBytes, signStatement, statementHash } from '../runtime/crypto/index.js';
import { CliError, fileExists, readTextFile, writeFileAtomic, type CliIo } from './io.js';
import { readKeyFile } from './key.js';
import { parseKdlSource, readKdlFile, readKdlText } from './source.js';

export function kdlCommands(yargs: Argv, io: CliIo): Argv {
  return yargs
    .command('fmt <file>', 'print a .kdl file in canonical form', (y) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the .kdl file' })
      .option('write', { alias: 'w', type: 'boolean', default: false, describe: 'rewrite the file in place' })
      .option('check', { type: 'boolean', default: false, describe: 'exit 1 if the file is not in canonical form' })
      .option('force', { type: 'boolean', default: false, describe: 'with --write: rewrite even a file with comments (the canonical form has none)' }),
    (args) => {
      const source = readKdlText(args.file);
      const canonical = printStatements(parseKdlSource(source, args.file));
      if (args.check) {
        if (canonical !== source) throw new CliError(`${args.file}: not in canonical form (run kindling kdl fmt --write)`);
        return;
      }
      if (args.write) {
        if (canonical === source) return;
        // The original's canonical form has no comments; rewriting would delete them.
        const comment = firstCommentLine(source);
        if (comment !== undefined && !args.force) {
          throw new CliError(`${args.file}:${comment}: the file has comments, which the canonical form drops; `
            + 'not rewritten (use --force to rewrite it anyway)');
        }
        writeFileAtomic(args.file, canonical);
      } else io.out(canonical);
    })
    .command('serialize <file>', 'print each statement\'s binary encoding, one hex line per statement', (y) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the .kdl file' }),
    (args) => {
      const lines = readKdlFile(args.file).map((s) => bytesToHex(encodeStatement(s)) + '\n');
      io.out(lines.join(''));
    })
    .command('deserialize <input>', 'decode hex (an argument, or a file of hex lines) back to statements', (y) => y
      .positional('input', { type: 'string', demandOption: true, describe: 'hex digits, or a file with one hex statement per line' }),
    (args) => {
      io.out(printStatements(decodeHexInput(args.input)));
    })
    .command('hash <file>', 'print each statement\'s hash (keccak-256 of its unsigned encoding)', (y) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the .kdl file' }),
    (args) => {
      io.out(readKdlFile(args.file).map((s) => bytesToHex(statementHash(s)) + '\n').join(''));
    })
    .command('sign <file>', 'sign every statement of a file with a secret key', (y) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the .kdl file whose statements to sign' })
      .option('key', { alias: 'k', type: 'string', demandOption: true, describe: 'file holding the secret key (64 hex digits)' })
      .option('encoded', { alias: 'E', type: 'boolean', default: false, describe: 'print the signed statements as hex' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the result to this file instead of stdout' }),
    (args) => {
      const key = readKeyFile(args.key);
      const statements = readKdlFile(args.file);
      const already = statements.findIndex((s) => s.sign !== null);
      if (already >= 0) throw new CliError(`${args.file}: statement ${already + 1} is already signed; remove its sign block to sign it again`);
      const signed = statements.map((s) => signStatement(s, key));
      const text = args.encoded
        ? signed.map((s) => bytesToHex(encodeStatement(s)) + '\n').join('')
        : signed.map((s) => printStatement(s) + '\n').join('');
      if (args.out !== undefined) writeFileAtomic(args.out, text);
      else io.out(text);
    })
    .demandCommand(1, 'name a kdl command: fmt, serialize, deserialize, hash or sign');
}

/** The 1-based line of the first `//` comment (KDL has no strings, so `//` always starts one). */
function firstCommentLine(source: string): number | undefined {
  const at = source.indexOf('//');
  if (at < 0) return undefined;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < at; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** Hex digits never hold a dot or a slash; a missing argument with one was meant as a file. */
const LOOKS_LIKE_PATH = /[./\\]/;

/** Hex given directly, or a file of hex lines (blank lines and `//` comments skipped). */
function decodeHexInput(input: string): Statement[] {
  const fromFile = fileExists(input);
  if (!fromFile && LOOKS_LIKE_PATH.test(input)) {
    throw new CliError(`${input}: no such file, and not hex digits either`);
  }
  const text = fromFile ? readTextFile(input) : input;
  const where = fromFile ? input : 'argument';
  const statements: Statement[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') return;
    const place = fromFile ? `${where}:${index + 1}` : where;
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(line.replace(/^0x/i, '').replace(/\s+/g, ''));
    } catch (e) {
      throw new CliError(`${place}: ${(e as Error).message}`);
    }
    try {
      statements.push(decodeStatement(bytes));
    } catch (e) {
      if (e instanceof DecodeError) throw new CliError(`${place}: cannot decode a statement: ${e.message}`);
      throw e;
    }
  });
  if (statements.length === 0) throw new CliError(`${where}: no hex statement found`);
  return statements;
}
