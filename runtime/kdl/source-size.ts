/**
 * The largest .kdl source Kindling reads. Everything is linear in the size of the text
 * (bench/big-kdl.ts), but a command that holds every statement needs about 11 bytes of
 * memory per byte of text (15 for the round trip of `test`): a 50 MB file takes 0.5-0.75 GB
 * and 8-15 s. The limit keeps such commands near 1 GB, and refuses at once what would
 * otherwise run out of memory after minutes (or hit V8's longest string, 2^29 characters).
 */
export const MAX_KDL_SOURCE_BYTES = 64 * 1024 * 1024;

export class KdlSourceSizeError extends Error {
  override readonly name = 'KdlSourceSizeError';
  constructor(readonly file: string, readonly bytes: number) {
    super(`${file}: the file has ${mib(bytes)}; a .kdl source may have at most ${mib(MAX_KDL_SOURCE_BYTES)} (${MAX_KDL_SOURCE_BYTES.toLocaleString('en-US')} bytes)`);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Throws KdlSourceSizeError when `bytes` (the file's size) is over MAX_KDL_SOURCE_BYTES. */
export function checkKdlSourceSize(bytes: number, file: string): void {
  if (bytes > MAX_KDL_SOURCE_BYTES) throw new KdlSourceSizeError(file, bytes);
}
