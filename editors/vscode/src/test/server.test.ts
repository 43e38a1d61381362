/** The server launch and the goal display (`node --test out/test`, after `npm run compile`). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DEFAULT_SERVER_PATH, formatGoal, parseGoal, serverLaunch, serverSettings, type LaunchContext } from '../server';

const linux: LaunchContext = { workspaceFolder: '/home/ada/project', home: '/home/ada', nodePath: '/opt/vscode/code', platform: 'linux' };
const windows: LaunchContext = { workspaceFolder: 'C:\\work\\project', home: 'C:\\Users\\ada', nodePath: 'C:\\vscode\\Code.exe', platform: 'win32' };

test('settings fall back to the defaults for missing, blank or mistyped values', () => {
  assert.deepEqual(serverSettings(undefined, undefined), { path: DEFAULT_SERVER_PATH, extraArgs: [] });
  assert.deepEqual(serverSettings('   ', 'not-an-array'), { path: 'kindling', extraArgs: [] });
  assert.deepEqual(serverSettings(' /usr/bin/kindling ', ['--log', 3, 'debug']), { path: '/usr/bin/kindling', extraArgs: ['--log', 'debug'] });
});

test('a bare command is left to the PATH lookup and started as `lsp` (the client appends --stdio)', () => {
  const launch = serverLaunch(serverSettings('kindling', ['--verbose']), linux);
  assert.deepEqual(launch, { command: 'kindling', args: ['lsp', '--verbose'], env: {}, shell: false });
});

test('a relative path with a directory is taken from the workspace folder', () => {
  assert.equal(serverLaunch(serverSettings('node_modules/.bin/kindling', []), linux).command, '/home/ada/project/node_modules/.bin/kindling');
  assert.equal(serverLaunch(serverSettings('/usr/local/bin/kindling', []), linux).command, '/usr/local/bin/kindling');
  // Without a folder there is nothing to resolve against: the path is passed on as written.
  assert.equal(serverLaunch(serverSettings('./kindling', []), { ...linux, workspaceFolder: undefined }).command, './kindling');
});

test('${workspaceFolder} and ~ are expanded', () => {
  assert.equal(serverLaunch(serverSettings('${workspaceFolder}/bin/kindling', []), linux).command, '/home/ada/project/bin/kindling');
  assert.equal(serverLaunch(serverSettings('~/.local/bin/kindling', []), linux).command, '/home/ada/.local/bin/kindling');
});

test('a JavaScript entry point is run by VS Code\'s own Node.js', () => {
  const launch = serverLaunch(serverSettings('./bin/kindling.js', ['--x']), linux);
  assert.deepEqual(launch, {
    command: '/opt/vscode/code',
    args: ['/home/ada/project/bin/kindling.js', 'lsp', '--x'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    shell: false,
  });
});

test('on Windows a command without .exe goes through the shell (npm installs kindling.cmd)', () => {
  assert.equal(serverLaunch(serverSettings('kindling', []), windows).shell, true);
  assert.equal(serverLaunch(serverSettings('C:\\tools\\kindling.exe', []), windows).shell, false);
  assert.equal(serverLaunch(serverSettings('bin\\kindling.js', []), windows).args[0], 'C:\\work\\project\\bin\\kindling.js');
});

test('goal results: a goal, null, or anything else rejected', () => {
  const goal = { goal: 'Data.Nat', context: [{ name: 'a', type: 'Data.Nat' }] };
  assert.deepEqual(parseGoal(goal), { name: '', ...goal });
  // What lsp/goal.ts answers: the hole's name, known values, and a range (ignored).
  const full = { name: 'h', goal: 'T', context: [{ name: 'n', type: 'Data.U60', value: '3' }], range: { start: { line: 0, character: 4 }, end: { line: 0, character: 6 } } };
  assert.deepEqual(parseGoal(full), { name: 'h', goal: 'T', context: [{ name: 'n', type: 'Data.U60', value: '3' }] });
  assert.equal(parseGoal({ name: 7, goal: 'T', context: [] }), undefined);
  assert.equal(parseGoal({ goal: 'T', context: [{ name: 'a', type: 'T', value: 1 }] }), undefined);
  assert.equal(parseGoal(null), null);
  assert.equal(parseGoal(undefined), undefined);
  assert.equal(parseGoal('Data.Nat'), undefined);
  assert.equal(parseGoal({ goal: 'Data.Nat' }), undefined);
  assert.equal(parseGoal({ goal: 'T', context: [{ name: 'a' }] }), undefined);
  assert.equal(parseGoal({ goal: 'T', context: [null] }), undefined);
});

test('a goal is shown with its place, the aligned context and the expected type', () => {
  const text = formatGoal({ name: 'rest', goal: 'Data.List a', context: [{ name: 'a', type: 'Type' }, { name: 'xs', type: 'Data.List a' }, { name: 'n', type: 'Data.U60', value: '2' }] }, 'Main.kind:3:12');
  assert.equal(text, [
    'Goal ?rest at Main.kind:3:12',
    '  a  : Type',
    '  xs : Data.List a',
    '  n  : Data.U60 = 2',
    `  ${'─'.repeat(17)}`,
    '  Data.List a',
  ].join('\n'));
  assert.equal(formatGoal({ name: '', goal: 'Type', context: [] }, 'x.kind:1:1'), `Goal at x.kind:1:1\n  ${'─'.repeat(8)}\n  Type`);
});
