/**
 * The Kindling extension: starts the language server (`kindling lsp --stdio`) for `.kind`
 * and `.kind2` documents, restarts it on request or when its settings change, and shows the
 * goal under the cursor (`kindling/goal`).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  LanguageClient, RequestType, State, TransportKind,
  type LanguageClientOptions, type ServerOptions, type TextDocumentIdentifier, type Position,
} from 'vscode-languageclient/node';
import { formatGoal, parseGoal, serverLaunch, serverSettings, type ServerLaunch } from './server';

interface GoalParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
}

/** The custom request: the expected type and the locals at a hole or `?inspection`. */
const GoalRequest = new RequestType<GoalParams, unknown, void>('kindling/goal');

let client: LanguageClient | undefined;
let serverChannel: vscode.OutputChannel | undefined;
let goalChannel: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  serverChannel = vscode.window.createOutputChannel('Kindling');
  goalChannel = vscode.window.createOutputChannel('Kindling Goals');
  context.subscriptions.push(
    serverChannel,
    goalChannel,
    vscode.commands.registerCommand('kindling.restartServer', () => restartClient()),
    vscode.commands.registerCommand('kindling.showGoal', () => showGoal()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kindling.server')) void restartClient();
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function currentLaunch(): ServerLaunch {
  const config = vscode.workspace.getConfiguration('kindling.server');
  const settings = serverSettings(config.get<unknown>('path'), config.get<unknown>('extraArgs'));
  return serverLaunch(settings, {
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    nodePath: process.execPath,
    platform: process.platform,
  });
}

async function startClient(): Promise<void> {
  const launch = currentLaunch();
  const executable = {
    command: launch.command,
    args: launch.args,
    transport: TransportKind.stdio,
    options: {
      env: { ...process.env, ...launch.env },
      shell: launch.shell,
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    },
  };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'kind' },
      { scheme: 'untitled', language: 'kind' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{kind,kind2}'),
    },
    outputChannel: serverChannel,
  };
  // The id `kindling` makes the client read the `kindling.trace.server` setting.
  const started = new LanguageClient('kindling', 'Kindling', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (error) {
    client = undefined;
    const shown = [launch.command, ...launch.args, '--stdio'].join(' ');
    const choice = await vscode.window.showErrorMessage(
      `Kindling: could not start the language server (${shown}): ${message(error)}. ` +
        'Set "kindling.server.path" to the kindling executable (or to bin/kindling.js of a Kindling checkout).',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'kindling.server');
    }
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) return;
  try {
    if (running.state !== State.Stopped) await running.stop();
  } catch (error) {
    serverChannel?.appendLine(`Stopping the language server failed: ${message(error)}`);
  }
  await running.dispose().catch(() => undefined);
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

async function showGoal(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'kind') {
    await vscode.window.showInformationMessage('Kindling: open a Kind file and put the cursor on a hole or a ?inspection.');
    return;
  }
  const running = client;
  if (running === undefined || running.state !== State.Running) {
    await vscode.window.showWarningMessage('Kindling: the language server is not running (try "Kindling: Restart Language Server").');
    return;
  }
  const document = editor.document;
  const cursor = editor.selection.active;
  let answer: unknown;
  try {
    answer = await running.sendRequest(GoalRequest, {
      textDocument: running.code2ProtocolConverter.asTextDocumentIdentifier(document),
      position: running.code2ProtocolConverter.asPosition(cursor),
    });
  } catch (error) {
    await vscode.window.showErrorMessage(`Kindling: the goal request failed: ${message(error)}`);
    return;
  }
  const goal = parseGoal(answer);
  if (goal === undefined) {
    await vscode.window.showErrorMessage('Kindling: the server answered kindling/goal with something that is not a goal.');
    return;
  }
  if (goal === null) {
    await vscode.window.showInformationMessage('Kindling: no goal at the cursor (put it on a hole `_` or an inspection `?name`).');
    return;
  }
  const where = `${vscode.workspace.asRelativePath(document.uri)}:${cursor.line + 1}:${cursor.character + 1}`;
  goalChannel?.appendLine(formatGoal(goal, where));
  goalChannel?.appendLine('');
  goalChannel?.show(true);
  await vscode.window.showInformationMessage(`Goal: ${goal.goal}`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
