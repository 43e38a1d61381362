/**
 * How the extension starts the Kindling language server, and how it shows the answer to a
 * `kindling/goal` request: plain functions of their inputs (no `vscode` import), so they are
 * tested with node's test runner outside the editor.
 */
import * as path from 'node:path';

/** The `kindling.server.*` settings. */
export interface ServerSettings {
  /** `kindling.server.path`: a command on PATH, or a path to the executable or to `bin/kindling.js`. */
  readonly path: string;
  /** `kindling.server.extraArgs`: arguments after `lsp`. */
  readonly extraArgs: readonly string[];
}

/** What the launch depends on besides the settings. */
export interface LaunchContext {
  /** The first workspace folder's path, if a folder is open. */
  readonly workspaceFolder: string | undefined;
  /** The user's home directory (for `~/…`). */
  readonly home: string;
  /** The Node.js that runs the extension (VS Code's own, `process.execPath`). */
  readonly nodePath: string;
  readonly platform: NodeJS.Platform;
}

/**
 * The process to spawn. The language client runs it with `TransportKind.stdio`, which
 * appends `--stdio` to `args`: the server is started as `<path> lsp <extraArgs> --stdio`.
 */
export interface ServerLaunch {
  readonly command: string;
  readonly args: string[];
  /** Variables to add to the environment (`ELECTRON_RUN_AS_NODE` when VS Code's Node runs a script). */
  readonly env: Record<string, string>;
  /** Whether to spawn through a shell (Windows `.cmd` shims such as npm's `kindling.cmd`). */
  readonly shell: boolean;
}

export const DEFAULT_SERVER_PATH = 'kindling';

const SCRIPT = /\.[cm]?js$/i;

/** Reads the settings as VS Code hands them over (any JSON), falling back to the defaults. */
export function serverSettings(path: unknown, extraArgs: unknown): ServerSettings {
  const p = typeof path === 'string' && path.trim() !== '' ? path.trim() : DEFAULT_SERVER_PATH;
  const args = Array.isArray(extraArgs) ? extraArgs.filter((a): a is string => typeof a === 'string') : [];
  return { path: p, extraArgs: args };
}

/**
 * The server process for `settings`. `${workspaceFolder}` and a leading `~/` are expanded; a
 * relative path with a directory part (`./bin/kindling.js`, `node_modules/.bin/kindling`) is
 * taken from the workspace folder; a bare name (`kindling`) is left to the PATH lookup.
 * A JavaScript file is run by `context.nodePath` as plain Node.js.
 */
export function serverLaunch(settings: ServerSettings, context: LaunchContext): ServerLaunch {
  const pathApi = context.platform === 'win32' ? path.win32 : path.posix;
  let target = settings.path;
  if (context.workspaceFolder !== undefined) target = target.split('${workspaceFolder}').join(context.workspaceFolder);
  if (target === '~' || target.startsWith('~/') || target.startsWith('~\\')) target = pathApi.join(context.home, target.slice(1));
  const hasDirectory = /[\\/]/.test(target);
  if (hasDirectory && !pathApi.isAbsolute(target) && context.workspaceFolder !== undefined) {
    target = pathApi.resolve(context.workspaceFolder, target);
  }
  const args = ['lsp', ...settings.extraArgs];
  if (SCRIPT.test(target)) {
    return { command: context.nodePath, args: [target, ...args], env: { ELECTRON_RUN_AS_NODE: '1' }, shell: false };
  }
  return { command: target, args, env: {}, shell: context.platform === 'win32' && !/\.exe$/i.test(target) };
}

/** One local of a goal's context. */
export interface GoalEntry {
  readonly name: string;
  readonly type: string;
  /** Set when the local has a known value (a `let`, or a pattern variable the checker solved). */
  readonly value?: string;
}

/** The answer to `kindling/goal` when the cursor is on a hole or an inspection. */
export interface Goal {
  /** The hole's name (`?name`); '' for `?` and `_`. The server may leave it out. */
  readonly name: string;
  readonly goal: string;
  readonly context: readonly GoalEntry[];
}

/**
 * Checks the shape of a `kindling/goal` result: a `Goal`, `null` (nothing to show at the
 * cursor), or `undefined` when the server answered something else.
 */
export function parseGoal(value: unknown): Goal | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const { name: hole = '', goal, context } = value as { name?: unknown; goal?: unknown; context?: unknown };
  if (typeof goal !== 'string' || !Array.isArray(context) || typeof hole !== 'string') return undefined;
  const entries: GoalEntry[] = [];
  for (const entry of context as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { name, type, value: known } = entry as { name?: unknown; type?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof type !== 'string' || (known !== undefined && typeof known !== 'string')) return undefined;
    entries.push(known === undefined ? { name, type } : { name, type, value: known });
  }
  return { name: hole, goal, context: entries };
}

/**
 * A goal as the output channel shows it: a heading with the hole's name and the place
 * (`file:line:column`, 1-based), the context one `name : type` (`= value` when known) per
 * line with the names aligned, a rule, and the goal.
 */
export function formatGoal(goal: Goal, where: string): string {
  const width = Math.max(0, ...goal.context.map((e) => e.name.length));
  const lines = [`Goal${goal.name === '' ? '' : ` ?${goal.name}`} at ${where}`];
  for (const e of goal.context) lines.push(`  ${e.name.padEnd(width)} : ${e.type}${e.value === undefined ? '' : ` = ${e.value}`}`);
  const rule = Math.max(8, ...lines.slice(1).map((l) => l.length - 2), goal.goal.length);
  lines.push(`  ${'─'.repeat(rule)}`);
  lines.push(`  ${goal.goal}`);
  return lines.join('\n');
}
