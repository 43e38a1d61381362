/** The node's configuration resolved in one place: flag > KINDLING_* > config file > default (defect 16: a key missing from the file falls back to the default). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkDataPath, resolveNodeConfig } from '../../cli/node-config.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-config-'));
const file = join(dir, 'config.json');
writeFileSync(file, JSON.stringify({ network_id: '0x99', port: 41000, peers: ['10.0.0.1', '10.0.0.2:42001'] }));
const empty = {} as NodeJS.ProcessEnv;

test('defaults when nothing is given', () => {
  const home = mkdtempSync(join(tmpdir(), 'kindling-home-'));
  const c = resolveNodeConfig({ config: undefined }, { KINDLING_CONFIG: '' } as NodeJS.ProcessEnv, home);
  expect(c.dataDir).toBe(join(home, '.kindling', 'data'));
  expect(c.configFile).toBeUndefined();
  expect(c.networkId).toBe(0xCAFE0007);
  expect(c.apiPort).toBe(8000);
  expect(c.port).toBeUndefined();
  expect(c.mine).toBe(false);
  expect(c.sources.networkId).toBe('default');
});

test('the file is read, and a key it lacks takes its default (defect 16)', () => {
  const c = resolveNodeConfig({ config: file }, empty);
  expect(c).toMatchObject({ networkId: 0x99, port: 41000, peers: ['10.0.0.1:42000', '10.0.0.2:42001'], apiPort: 8000, mine: false });
  expect(c.sources).toMatchObject({ networkId: 'file', port: 'file', apiPort: 'default' });
});

test('the environment beats the file, a flag beats both', () => {
  const env = { KINDLING_NETWORK_ID: '77', KINDLING_PORT: '40000', KINDLING_MINE: 'true', KINDLING_PEERS: '1.2.3.4:5' } as NodeJS.ProcessEnv;
  const fromEnv = resolveNodeConfig({ config: file }, env);
  expect(fromEnv).toMatchObject({ networkId: 77, port: 40000, mine: true, peers: ['1.2.3.4:5'] });
  const fromFlags = resolveNodeConfig({ config: file, networkId: '0x10', port: 1234, peer: ['9.9.9.9'], mine: true }, env);
  expect(fromFlags).toMatchObject({ networkId: 16, port: 1234, peers: ['9.9.9.9:42000'] });
  expect(fromFlags.sources).toMatchObject({ networkId: 'flag', port: 'flag', peers: 'flag', mine: 'flag' });
});

test('bad values are errors that name the setting and where it came from', () => {
  expect(() => resolveNodeConfig({ networkId: 'cafe' }, empty)).toThrow(/--network-id: the network id must be a 32-bit number/);
  expect(() => resolveNodeConfig({}, { KINDLING_PORT: '70000' } as NodeJS.ProcessEnv)).toThrow(/environment KINDLING_PORT: a port is 0 to 65535/);
  expect(() => resolveNodeConfig({ peer: ['1.2.3'] }, empty)).toThrow(/--peer: a peer is an IPv4 address/);
  expect(() => resolveNodeConfig({ peer: ['1.2.3.300'] }, empty)).toThrow(/--peer/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ nope');
  expect(() => resolveNodeConfig({ config: broken }, empty)).toThrow(/the config file .*broken\.json is not valid/);
});

test('the store folder is named after the network id as the original names it', () => {
  expect(networkDataPath({ dataDir: '/d', networkId: 0xCAFE0007 })).toBe('/d/0xCAFE0007');
  expect(networkDataPath({ dataDir: '/d', networkId: 5 })).toBe('/d/0x5');
});
