/**
 * What the language server knows: one project per workspace folder (a `Workspace` over the
 * folder and the stdlib, and the incremental `Program` that `kindling check` uses, recording
 * types for hovers), the texts the editor holds, and the last check of each project. An edit
 * marks its project stale; the next query or diagnostics run checks it again, re-using every
 * result the edit did not invalidate (per file and per definition, by content).
 */
import { dirname, resolve, sep } from 'node:path';
import { Program, type CheckedProgram, type ProgramDiagnostic } from '../compiler/program.js';
import { Workspace, nodeFileSystem, type FileAnalysis, type FileSystemHost } from '../compiler/syntax/index.js';

export interface ServiceOptions {
  /** The client's workspace folders (absolute paths). */
  readonly folders: readonly string[];
  /** The standard library folder; `null` for none; default: the one shipped with Kindling. */
  readonly stdlib?: string | null;
  readonly host?: FileSystemHost;
}

export class Project {
  readonly program: Program;
  private last: CheckedProgram | undefined;
  private stale = true;

  constructor(readonly workspace: Workspace, readonly folder: string) {
    this.program = new Program(workspace, { recording: true });
  }

  touch(): void { this.stale = true; }

  get isStale(): boolean { return this.stale; }

  /** The program as the editor holds it now (checked again only if something changed). */
  checked(): CheckedProgram {
    if (this.stale || this.last === undefined) {
      this.last = this.program.check();
      this.stale = false;
    }
    return this.last;
  }

  /** The diagnostics of the last check per file (every loaded file, so fixed files are cleared). */
  diagnosticsByFile(): Map<string, ProgramDiagnostic[]> {
    const checked = this.checked();
    const out = new Map<string, ProgramDiagnostic[]>();
    for (const file of this.workspace.resolve().files) out.set(file, []);
    for (const d of checked.diagnostics) (out.get(d.span.file) ?? out.set(d.span.file, []).get(d.span.file)!).push(d);
    return out;
  }
}

/** A file as one query sees it: its parse, its project and the project's checked program. */
export interface FileView {
  readonly path: string;
  readonly text: string;
  readonly analysis: FileAnalysis;
  readonly project: Project;
  readonly program: CheckedProgram;
}

export class LanguageService {
  private readonly projects: Project[] = [];
  /** Projects made for files outside every folder, by the file. */
  private readonly loose = new Map<string, Project>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly options: ServiceOptions) {
    for (const folder of options.folders) this.projects.push(this.project(resolve(folder)));
  }

  private project(folder: string, include?: readonly string[]): Project {
    return new Project(new Workspace({
      root: folder,
      ...(this.options.stdlib === undefined ? {} : { stdlib: this.options.stdlib }),
      ...(this.options.host === undefined ? {} : { host: this.options.host }),
      ...(include === undefined ? {} : { include }),
    }), folder);
  }

  /** The projects whose folders hold `path` (nested folders: each of them), or its own loose project. */
  projectsOf(path: string): Project[] {
    const abs = resolve(path);
    const holding = this.projects.filter((p) => abs.startsWith(p.folder + sep));
    if (holding.length > 0) return holding;
    let own = this.loose.get(abs);
    if (own === undefined) {
      own = this.project(dirname(abs), [abs]);
      this.loose.set(abs, own);
    }
    return [own];
  }

  /** The project that answers queries about `path`: the innermost folder holding it. */
  projectOf(path: string): Project {
    return this.projectsOf(path).reduce((a, b) => (b.folder.length > a.folder.length ? b : a));
  }

  allProjects(): Project[] {
    return [...this.projects, ...this.loose.values()];
  }

  /** The editor's text of a file (opened or changed). */
  update(path: string, text: string): void {
    const abs = resolve(path);
    this.texts.set(abs, text);
    const own = this.projectsOf(abs);
    for (const p of own) { p.workspace.update(abs, text); p.touch(); }
    // A file another project loads (the stdlib, a shared folder) changes that one too.
    for (const p of this.allProjects()) {
      if (!own.includes(p) && p.workspace.resolve().files.includes(abs)) { p.workspace.update(abs, text); p.touch(); }
    }
  }

  /** The editor closed the file: it is read from disk again. */
  close(path: string): void {
    const abs = resolve(path);
    this.texts.delete(abs);
    for (const p of this.allProjects()) { p.workspace.close(abs); p.touch(); }
    this.loose.delete(abs);
  }

  /** Files changed on disk (created, deleted, renamed): every project reads its folders again. */
  refresh(): void {
    for (const p of this.allProjects()) { p.workspace.refresh(); p.touch(); }
  }

  /** The text of a file as the editor holds it, else as it is on disk. */
  textOf(path: string): string | undefined {
    const abs = resolve(path);
    const held = this.texts.get(abs);
    if (held !== undefined) return held;
    const read = (this.options.host ?? nodeFileSystem).readText(abs);
    return 'text' in read ? read.text : undefined;
  }

  /** The file with its project checked now; undefined when it cannot be read. */
  view(path: string): FileView | undefined {
    const abs = resolve(path);
    const project = this.projectOf(abs);
    const program = project.checked();
    const analysis = project.workspace.file(abs);
    const text = this.textOf(abs);
    if (analysis === undefined || text === undefined) return undefined;
    return { path: abs, text, analysis, project, program };
  }
}
