/**
 * `kindling compile PATH [--out FILE.kdl] [--hex] [--names] [--kind2-names] [--namespace P]
 * [--sign KEYFILE]`: check the program, then lower what its roots reach to Kindelia statements.
 */
import { basename, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkDiagnostic, type CheckDiagnostic } from '../compiler/check/index.js';
import { compileProgram, namesManifest, type CompiledStatements } from '../compiler/lower/index.js';
import { checkWorkspace, type CheckedProgram } from '../compiler/program.js';
import { bytesToHex, keyInfo, signStatement } from '../runtime/crypto/index.js';
import { encodeStatement, nameFromText, printStatements, type Statement } from '../runtime/kdl/index.js';
import { CliError, writeFileAtomic, type CliIo } from './io.js';
import { readKeyFile } from './key.js';
import { countBySeverity, printDiagnostics, workspaceFor } from './program-output.js';

interface CompileArgs {
  path: string;
  out?: string;
  hex: boolean;
  names: boolean;
  kind2Names: boolean;
  namespace?: string;
  sign?: string;
}

/** A default project namespace: the folder's name, letters and digits only, at most 7 characters, capitalized. */
function defaultNamespace(path: string): string {
  const base = basename(resolve(path)).replace(/\.kind2?$/, '').replace(/[^A-Za-z0-9]/g, '');
  const word = /^[A-Za-z]/.test(base) ? base : `P${base}`;
  return (word.charAt(0).toUpperCase() + word.slice(1)).slice(0, 7) || 'App';
}

export interface ProgramStatements {
  readonly program: CheckedProgram;
  readonly compiled: CompiledStatements;
  /** The statements to deploy: `reg` of the namespaces first when a key owns them, signed when a key is given. */
  readonly statements: readonly Statement[];
}

/** Checks and compiles `path`; diagnostics are printed and make it throw. Shared with `kindling run`. */
export function compilePath(io: CliIo, path: string, options: { kind2Names: boolean; namespace?: string; key?: Uint8Array }): ProgramStatements {
  const program = checkWorkspace(workspaceFor(path));
  const { errors } = countBySeverity(program.diagnostics);
  if (errors > 0) {
    printDiagnostics(io, program.diagnostics);
    throw new CliError(`${errors} error${errors === 1 ? '' : 's'}: not compiled`);
  }
  const scheme = options.kind2Names ? { kind: 'kind2' as const } : { kind: 'project' as const, namespace: options.namespace ?? defaultNamespace(path) };
  const compiled = compileProgram(program.entries, { scheme, layout: options.kind2Names ? 'kind2' : 'kindling' });
  if (compiled.errors.length > 0) {
    const diagnostics: CheckDiagnostic[] = compiled.errors.map((e) => checkDiagnostic('KD2001', e.span, e.message));
    printDiagnostics(io, diagnostics);
    throw new CliError(`${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}: not compiled`);
  }
  let statements: Statement[] = [...compiled.statements];
  if (options.key !== undefined) {
    const owner = keyInfo(options.key).subject;
    const regs: Statement[] = compiled.names.namespaces.map((ns) => ({ tag: 'Reg', name: nameFromText(ns), ownr: owner, sign: null }));
    statements = [...regs, ...statements].map((s) => signStatement(s, options.key!));
  }
  return { program, compiled, statements };
}

export function compileCommand(io: CliIo): CommandModule<object, CompileArgs> {
  return {
    command: 'compile <path>',
    describe: 'check a program and compile what Main, #keep, #kdl_run and #kdl_state reach to Kindelia statements',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', demandOption: true, describe: 'a source file or a folder' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the statements to this .kdl file (and the name mapping to FILE.names.json)' })
      .option('hex', { type: 'boolean', default: false, describe: 'print each statement\'s binary encoding, one hex line per statement' })
      .option('names', { type: 'boolean', default: false, describe: 'print the Kind → Kindelia name mapping instead of the statements' })
      .option('kind2-names', { type: 'boolean', default: false, describe: 'Kind2-compatible output: names by Kind2\'s rules 1–3 (not in a project namespace) and Kind2\'s variable layout' })
      .option('namespace', { type: 'string', describe: 'the project namespace (default: from the folder or file name)' })
      .option('sign', { type: 'string', describe: 'sign every statement with this key file, and register the namespace to it first' }) as unknown as Argv<CompileArgs>,
    handler: (args: ArgumentsCamelCase<CompileArgs>) => {
      const key = args.sign === undefined ? undefined : readKeyFile(args.sign);
      const { compiled, statements } = compilePath(io, args.path, {
        kind2Names: args.kind2Names, ...(args.namespace === undefined ? {} : { namespace: args.namespace }), ...(key === undefined ? {} : { key }),
      });
      const text = args.hex
        ? statements.map((s) => bytesToHex(encodeStatement(s)) + '\n').join('')
        : printStatements(statements);
      if (args.names) {
        const width = Math.max(0, ...[...compiled.names.byKind.keys()].map((k) => k.length));
        io.out([...compiled.names.byKind].map(([kind, kdl]) => `${kind.padEnd(width)}  ${kdl}\n`).join(''));
      } else if (args.out === undefined) {
        io.out(text);
      }
      if (args.out !== undefined) {
        writeFileAtomic(args.out, text);
        writeFileAtomic(`${args.out.replace(/\.kdl$/, '')}.names.json`, JSON.stringify(namesManifest(compiled.names), null, 2) + '\n');
        io.err(`wrote ${args.out} (${statements.length} statement${statements.length === 1 ? '' : 's'})\n`);
      }
    },
  };
}
