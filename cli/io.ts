/** What a command needs from the outside world, so tests can run commands in-process. */
import {
  chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync,
  unlinkSync, writeSync,
} from 'node:fs';
import { dirname, basename, join } from 'node:path';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (colours only then). */
  readonly color: boolean;
}

export const processIo: CliIo = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
};

/** An error the user caused: printed as it is, exit status 1 (2 for usage), no stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); }
}

/** A flag's value that yargs accepted but a command's own check refuses (a usage error, exit 2). */
export class FlagError extends Error {}

/** The reason a file operation failed, in words (the errno code names the case). */
function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'the file system is read-only';
    case 'ENAMETOOLONG': return 'the name is too long';
    default: return err.message;
  }
}

export function readTextFile(path: string): string {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${path}: is a directory, not a file`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: cannot read: ${describeFsError(e)}`);
  }
  return text;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `data` to `path` through a temporary file and a rename, so a reader never sees half a
 * file and a failure leaves the old file (and no temporary file) behind. A symlink is followed:
 * its target is rewritten and the link stays. An existing file keeps its permission bits unless
 * `mode` is given; a new file gets `mode` (default 0644 before the umask).
 */
export function writeFileAtomic(path: string, data: string, mode?: number): void {
  let target = path;
  let keptMode: number | undefined;
  if (existsSync(path)) {
    try {
      target = realpathSync(path);
      const stat = statSync(target);
      if (stat.isDirectory()) throw new CliError(`${path}: is a directory; name a file to write`);
      keptMode = stat.mode & 0o7777;
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${path}: cannot write: ${describeFsError(e)}`);
    }
  } else {
    const folder = dirname(path);
    if (!existsSync(folder)) throw new CliError(`${path}: cannot write: the folder ${folder} does not exist`);
    if (!isDirectory(folder)) throw new CliError(`${path}: cannot write: ${folder} is not a folder`);
  }
  const finalMode = mode ?? keptMode;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx': never reuse an existing file; the mode applies from creation, so a secret key is
    // never readable by others, not even for a moment.
    fd = openSync(tmp, 'wx', finalMode ?? 0o644);
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (finalMode !== undefined) chmodSync(tmp, finalMode); // the umask narrowed the creation mode
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(tmp); } catch { /* it was never created, or is already gone */ }
    throw new CliError(`${path}: cannot write: ${describeFsError(e)}`);
  }
}
