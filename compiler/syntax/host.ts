/**
 * What the workspace needs from a file system: list the source files under a folder and
 * read one. `nodeFileSystem` uses the disk; `MemoryFileSystem` keeps files in a map (tests,
 * benchmarks, editors with unsaved buffers).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** `.kind` is the extension; `.kind2` files (Kind2's own) are read the same way. */
export const SOURCE_EXTENSIONS: readonly string[] = ['.kind', '.kind2'];

export function isSourceFile(path: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** Folders never searched for sources. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git']);

export interface ListingProblem {
  readonly path: string;
  readonly kind: 'cycle' | 'unreadable';
  readonly message: string;
}

export interface SourceListing {
  readonly files: readonly string[];
  readonly problems: readonly ListingProblem[];
}

export interface FileSystemHost {
  /** Every source file under `folder` (absolute paths, sorted), skipping folders in `exclude`. */
  listSources(folder: string, exclude?: readonly string[]): SourceListing;
  /** The file's text, or an error message. */
  readText(path: string): { text: string } | { error: string };
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

export const nodeFileSystem: FileSystemHost = {
  listSources(folder: string, exclude: readonly string[] = []): SourceListing {
    const files: string[] = [];
    const problems: ListingProblem[] = [];
    const excluded = exclude.map((e) => resolve(e));
    const visited = new Set<string>();
    const visit = (dir: string, ancestors: readonly string[]): void => {
      let real: string;
      try {
        real = realpathSync(dir);
      } catch (e) {
        problems.push({ path: dir, kind: 'unreadable', message: (e as Error).message });
        return;
      }
      if (ancestors.includes(real)) {
        problems.push({ path: dir, kind: 'cycle', message: `${dir} leads back to ${real}, a folder that contains it` });
        return;
      }
      // The same folder reached through another link: its files are already listed.
      if (visited.has(real)) return;
      visited.add(real);
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (e) {
        problems.push({ path: dir, kind: 'unreadable', message: (e as Error).message });
        return;
      }
      for (const name of names) {
        if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) continue;
        const path = join(dir, name);
        if (excluded.some((x) => isWithin(path, x))) continue;
        let isDir = false;
        let isFile = false;
        try {
          const st = statSync(path);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // a dangling link: nothing to read
        }
        if (isDir) visit(path, [...ancestors, real]);
        else if (isFile && isSourceFile(name)) files.push(path);
      }
    };
    visit(resolve(folder), []);
    return { files: files.sort(), problems };
  },
  readText(path: string) {
    try {
      return { text: readFileSync(path, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message };
    }
  },
};

/** Files held in memory, keyed by absolute path. */
export class MemoryFileSystem implements FileSystemHost {
  private readonly files = new Map<string, string>();

  constructor(files: Readonly<Record<string, string>> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    this.files.set(resolve(path), text);
  }

  delete(path: string): void {
    this.files.delete(resolve(path));
  }

  listSources(folder: string, exclude: readonly string[] = []): SourceListing {
    const root = resolve(folder);
    const excluded = exclude.map((e) => resolve(e));
    const files = [...this.files.keys()]
      .filter((p) => isWithin(p, root) && isSourceFile(p) && !excluded.some((x) => isWithin(p, x)))
      .sort();
    return { files, problems: [] };
  }

  readText(path: string) {
    const text = this.files.get(resolve(path));
    return text === undefined ? { error: 'no such file' } : { text };
  }
}
