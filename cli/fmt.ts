/** `kindling fmt PATH [--check] [--stdout]`: canonical formatting of surface-language sources. */
import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatSource, nodeFileSystem, renderDiagnostics } from '../compiler/syntax/index.js';
import { CliError, readTextFile, writeFileAtomic, type CliIo } from './io.js';

interface FmtArgs {
  path: string;
  check: boolean;
  stdout: boolean;
}

/**
 * The files `path` names: itself if it is a file, else every .kind/.kind2 file under it (as
 * paths under `path`). Folders that cannot be searched are reported and skipped.
 */
function sourceFiles(path: string, io: CliIo): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CliError(`${path}: no such file or folder`);
  }
  if (!isDir) return [path];
  const listing = nodeFileSystem.listSources(path);
  for (const p of listing.problems) io.err(`${p.path}: skipped: ${p.message}\n`);
  if (listing.files.length === 0) throw new CliError(`${path}: no .kind or .kind2 files in this folder`);
  return listing.files.map((abs) => join(path, relative(resolve(path), abs)));
}

export function fmtCommand(io: CliIo): CommandModule<object, FmtArgs> {
  return {
    command: 'fmt <path>',
    describe: 'format .kind files in canonical form (a file, or every .kind/.kind2 file under a folder)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', demandOption: true, describe: 'a source file or a folder' })
      .option('check', { type: 'boolean', default: false, describe: 'change nothing; list the files that are not formatted and exit 1 if any (with --stdout: print the formatted text, exit 1 if it differs)' })
      .option('stdout', { type: 'boolean', default: false, describe: 'print the formatted text instead of rewriting the file (one file only)' }) as unknown as Argv<FmtArgs>,
    handler: (args: ArgumentsCamelCase<FmtArgs>) => {
      const files = sourceFiles(args.path, io);
      if (args.stdout && files.length !== 1) throw new CliError(`--stdout formats one file, but ${args.path} holds ${files.length}`);
      let broken = 0;
      const unformatted: string[] = [];
      for (const file of files) {
        const source = readTextFile(file);
        const result = formatSource(source, file);
        if (result.text === undefined) {
          broken++;
          io.err(renderDiagnostics(result.diagnostics.filter((d) => d.severity === 'error'), source));
          continue;
        }
        if (args.stdout) {
          io.out(result.text);
          if (args.check && result.text !== source) unformatted.push(file);
          continue;
        }
        if (result.text === source) continue;
        unformatted.push(file);
        if (args.check) io.out(`${file}\n`);
        else { writeFileAtomic(file, result.text); io.out(`formatted ${file}\n`); }
      }
      const problems: string[] = [];
      if (broken > 0) problems.push(`${broken} file${broken === 1 ? ' has' : 's have'} syntax errors and ${broken === 1 ? 'was' : 'were'} left unchanged`);
      if (args.check && unformatted.length > 0) {
        problems.push(`${unformatted.length} file${unformatted.length === 1 ? ' is' : 's are'} not formatted (run kindling fmt ${args.path})`);
      }
      if (problems.length > 0) throw new CliError(problems.join('; '));
    },
  };
}
