/** `kindling key …`: secret keys, addresses and subjects. */
import type { Argv } from 'yargs';
import { KeyFileError, bytesToHex, formatSubject, keyInfo, newSecretKey, parseSecretKey } from '../runtime/crypto/index.js';
import { CliError, fileExists, isDirectory, readTextFile, writeFileAtomic, type CliIo } from './io.js';

export function readKeyFile(path: string): Uint8Array {
  const text = readTextFile(path);
  try {
    return parseSecretKey(text);
  } catch (e) {
    if (e instanceof KeyFileError) throw new CliError(`${path}: not a secret key: ${e.message}`);
    throw e;
  }
}

function describeKey(secretKey: Uint8Array): string {
  const info = keyInfo(secretKey);
  return `address  0x${bytesToHex(info.address)}\n`
    + `subject  ${formatSubject(info.subject)}\n`
    + `subject  #${info.subject.toString(10)}\n`;
}

export function keyCommands(yargs: Argv, io: CliIo): Argv {
  return yargs
    .command('new', 'generate a secret key', (y) => y
      .option('out', { alias: 'o', type: 'string', describe: 'write the key to this file (created with mode 600)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing key file' }),
    (args) => {
      const secretKey = newSecretKey();
      if (args.out !== undefined) {
        if (isDirectory(args.out)) throw new CliError(`${args.out}: is a directory; name the key file to create`);
        if (fileExists(args.out) && !args.force) throw new CliError(`${args.out}: already exists; refusing to overwrite a key (use --force)`);
        writeFileAtomic(args.out, bytesToHex(secretKey) + '\n', 0o600);
        io.out(`wrote ${args.out}\n` + describeKey(secretKey));
      } else {
        io.out(`secret   ${bytesToHex(secretKey)}\n` + describeKey(secretKey));
      }
    })
    .command('address <keyfile>', 'print the address and subject of a secret key file', (y) => y
      .positional('keyfile', { type: 'string', demandOption: true, describe: 'a file holding a secret key (64 hex digits)' }),
    (args) => {
      io.out(describeKey(readKeyFile(args.keyfile)));
    })
    .demandCommand(1, 'name a key command: new or address');
}
