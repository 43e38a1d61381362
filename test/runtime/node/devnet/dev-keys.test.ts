/**
 * The development keys are deterministic, distinct and valid, and each owns its namespace on a
 * devnet: a statement signed by key i deploys under `Dev<i>`, one signed by another key (or
 * unsigned) does not.
 */
import { CURVE_ORDER, bytesToHex, keccak256, keyInfo, parseSecretKey, signStatement } from '../../../../runtime/crypto/index.js';
import { encodeTransaction, nameFromText, parseStatements } from '../../../../runtime/kdl/index.js';
import { blockHash, genesisBlock } from '../../../../runtime/node/block/index.js';
import {
  DEV_KEY_COUNT, DEV_KEY_SEED_PREFIX, devKeys, devNamespaceBlock, devNamespaceStatements, devnetParams, registerDevNamespaces,
} from '../../../../runtime/node/devnet/index.js';
import { KindeliaNode } from '../../../../runtime/node/node.js';

const statement = (text: string) => parseStatements(text).statements[0]!;

test('ten keys, derived from the documented seed phrase, distinct, each with its namespace', () => {
  const keys = devKeys();
  expect(keys).toHaveLength(DEV_KEY_COUNT);
  expect(devKeys()).toBe(keys);
  keys.forEach((key, i) => {
    // The derivation, written out again: keccak256 of the phrase, reduced into 1…n−1.
    const k = BigInt(`0x${bytesToHex(keccak256(new TextEncoder().encode(`${DEV_KEY_SEED_PREFIX}${i}`)))}`);
    expect(BigInt(`0x${key.secretKey}`)).toBe((k % (CURVE_ORDER - 1n)) + 1n);
    const info = keyInfo(parseSecretKey(key.secretKey));
    expect(key).toMatchObject({ index: i, address: bytesToHex(info.address), subject: info.subject, namespace: `Dev${i}` });
    expect(() => nameFromText(key.namespace)).not.toThrow();
  });
  for (const field of ['secretKey', 'address', 'subject', 'namespace'] as const) {
    expect(new Set(keys.map((k) => k[field])).size).toBe(DEV_KEY_COUNT);
  }
  // Pinned, so that a change of the derivation is noticed (wallets and scripts rely on these).
  expect(keys[0]).toMatchObject({
    secretKey: '3ad5528f6c1785c35087664df405530ed84bad6279e961a5c585ced6427a98d0',
    address: '9a9a11d016948cf57c8e4848d6347d6fd0c33e28',
    subject: 0x9a9a11d016948cf57c8e4848d6347dn,
  });
});

test('the namespace block is the same on every call and on every devnet of the same id', () => {
  const params = devnetParams();
  const a = devNamespaceBlock(params);
  const b = devNamespaceBlock(devnetParams());
  expect(blockHash(a)).toBe(blockHash(b));
  expect(a.prev).toBe(blockHash(genesisBlock(params)));
  expect(a.body.length).toBeLessThanOrEqual(params.maxBodyBytes);
  expect(devNamespaceStatements()).toHaveLength(DEV_KEY_COUNT);
});

test('on a devnet node each key owns its namespace: it can deploy under it, another key cannot', async () => {
  const node = KindeliaNode.open({ params: devnetParams() });
  try {
    expect(registerDevNamespaces(node)).toBe(true);
    expect(registerDevNamespaces(node)).toBe(false); // only on a fresh chain
    const registered = node.chain.resultsOf(node.chain.tip.hash)!;
    expect(registered.map((o) => o.ok)).toEqual(Array(DEV_KEY_COUNT).fill(true));
    const keys = devKeys();
    for (const key of keys) expect(node.chain.runtime.ownerOf(nameFromText(key.namespace))).toBe(key.subject);

    const key3 = parseSecretKey(keys[3]!.secretKey);
    const key4 = parseSecretKey(keys[4]!.secretKey);
    const signed = (text: string, secret: Uint8Array) => encodeTransaction(signStatement(statement(text), secret));
    const txs = [
      signed('ctr {Dev3.X}', key3),
      signed('fun (Dev3.Id x) { (Dev3.Id x) = x }', key3),
      signed('ctr {Dev3.Y}', key4), // another key
      encodeTransaction(statement('ctr {Dev3.Z}')), // unsigned
      signed('fun (Dev4.Two) { (Dev4.Two) = #2 }', key4),
      encodeTransaction(statement('run { (Done (Dev3.Id {Dev3.X})) }')),
    ];
    for (const tx of txs) expect(node.submit(tx)).toMatchObject({ ok: true });
    const block = node.mineNow();
    // Packing order is not submission order: look the outcomes up by statement.
    const outcomes = node.chain.resultsOf(block.hash)!;
    expect(outcomes).toHaveLength(txs.length);
    const byName = new Map(outcomes.flatMap((o) => (o.ok && o.kind !== 'run' ? [[o.name, o] as const] : [])));
    expect(byName.has(nameFromText('Dev3.X'))).toBe(true);
    expect(byName.has(nameFromText('Dev3.Id'))).toBe(true);
    expect(byName.has(nameFromText('Dev4.Two'))).toBe(true);
    expect(byName.has(nameFromText('Dev3.Y'))).toBe(false);
    expect(byName.has(nameFromText('Dev3.Z'))).toBe(false);
    expect(node.chain.runtime.arityOf(nameFromText('Dev3.Y'))).toBeUndefined();
    expect(node.chain.runtime.arityOf(nameFromText('Dev3.X'))).toBe(0);
    const failures = outcomes.filter((o) => !o.ok);
    expect(failures).toHaveLength(2);
    for (const f of failures) expect(f).toMatchObject({ ok: false, error: expect.stringMatching(/not allowed/i) });
  } finally {
    await node.close();
  }
});
