/** The genesis block (kindelia-node.md §2.6, §10.6, Appendix B). */
import { bytesToHex, hexToBytes } from '../../../runtime/crypto/index.js';
import { encodeTransaction, parseStatements } from '../../../runtime/kdl/index.js';
import {
  blockHash, encodeBlock, genesisBlock, genesisBody, hashText, isValidChild, transactionsOf, type Block,
} from '../../../runtime/node/block/index.js';
import { ChainParamsError, DEFAULT_NETWORK_ID, chainParams, defaultGenesisStatements } from '../../../runtime/node/params.js';

const APPENDIX_B = `
1ca000860bc00000a000850bcb04f05000870bcb04f542780000005000848bcb
04f5427ae13c00f000868bcb04f5427ae13d489e00000000f000858bcb04f542
7ae13d489eb44f00002800878bcb04f5427ae13d489eb44f5627800000000028
00844bcb04f5427ae13d489eb44f5627af13c000002800864bcb04f5427ae13d
489eb44f5627af13d449e09800854bcb04f5427ae13d489eb44f5627af13d449
eb24f00000009800874bcb04f5427ae13d489eb44f5627af13d449eb24f55278
00780084cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac142780000
00780086cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa142
78c40085cbcb04f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa142
7ae142780000140087cbcb04f5427ae13d489eb44f5627af13d449eb24f5527a
c1427aa1427ae1427a914278000000001400842bcb04f5427ae13d489eb44f56
27af13d449eb24f5527ac1427aa1427ae1427a91427ad1427800b400862bcb04
f5427ae13d489eb44f5627af13d449eb24f5527ac1427aa1427ae1427a91427a
d1427ab142780000009800055e4a2d3e7e547554dad0fffffa3e0fb68d68da35
836000005000865c7a632cb8f4d30000500087c8d9ae2b72e7e500002800065a
7cee2b72e7e5368e17c8d9ae238000000000500087cd5d2f28f4f9f90000f000
065fba6f1b123d3e7e45f3574bc8e0f00087c83d372b72e7e551e9f3f2000000
9800065afa772b72e7e5368e247a7cfc8be41e9b91d1b000000000280085ab5d
362cb8f4d358fadbd2a3d3e7e400000000780004387a762cb8f4d358fadbd26d
1d1b123d3e7e456ad74d88e8da3e000000500084a99fb728f4f9f90000f00005
db39f71b123d3e7e452a67edc8e0500087acd3a128f4f9f90000f000063e76e1
1b123d3e7e45eb34e848e0500086ad9caf28f4f9f90000f00007df3b6f1b123d
3e7e45ab672bc8e0f000851b9cb12cb8f4d351e9f3f2000000980004f8bca3e5
c4b2e3d34cda3891e9f3f22a3739624746c00000f000860a57b729f176a8f4f9
f90000000078000609bef4d2c71f747cb894f8bb4da3891e9f3f22c14af6e474
6c00000000f000850a57b729f176a8f4f9f90000000078000509bef4d2c71f74
7cb894f8bb4da3891e9f3f22a14af6e4746c00000000500087cf5caf28f4f9f9
0000f000065c7b6f1b123d3e7e45f3d72bc8e05000874bdf3d28f4f9f90000f0
000698f97d1b123d3e7e45d2f7cf48e05000860a3d2928f4f9f90000f0000609
fa691b123d3e7e45828f4a48e05000850a3d2928f4f9f90000f0000509fa691b
123d3e7e45428f4a48e0500085ae5d212b76f2800000f000043dba612b76f29b
470ad72e9091c0f00087a9d9a32c76f2c751e9f3f20000009800063b7ce32c76
f2c7368e247a7cfc8bd4ecd191d1b000000000c400045d3ced1b123d3e7e45f3
574bca4f4609e509e1f17c83d37235a9fffff61c3d800000a000879a7c8000a0
00847cb88000ec00047a79f9ec54f9ed8fe749b4bcd3e40be6ae97949e2f907a
6e780d67b4fffff8be46cd7161b4a3e5c43545d3ced0b58ff46b160000000028
00c2990c77b4feeae9225962412a8be9f800000000`.replace(/\s/g, '');

const LENGTHS = [5, 5, 10, 10, 15, 15, 20, 20, 20, 25, 25, 30, 30, 35, 40, 40, 45, 25, 10, 10, 20, 10, 15, 15, 25, 20, 30, 10, 15, 10,
  15, 10, 15, 15, 25, 15, 30, 15, 30, 10, 15, 10, 15, 10, 15, 10, 15, 10, 15, 15, 25, 35, 5, 5, 55, 20];

const params = chainParams();
const genesis = genesisBlock(params);

test('56 statements packed into the 1173 bytes of Appendix B', () => {
  expect(params.genesisStatements).toHaveLength(56);
  expect(genesis.body).toHaveLength(1173);
  expect(bytesToHex(genesis.body)).toBe(APPENDIX_B);
  expect(bytesToHex(genesis.body.subarray(0, 16))).toBe('1ca000860bc00000a000850bcb04f050');
});

test('its transactions: the normalized lengths of §10.6, the first one ctr {T0}', () => {
  const txs = transactionsOf(genesis);
  expect(txs.map((t) => t.length)).toEqual(LENGTHS);
  expect(bytesToHex(txs[0]!)).toBe('860bc00000');
  expect(txs.map(bytesToHex)).toEqual(params.genesisStatements.map((s) => bytesToHex(encodeTransaction(s))));
});

test('prev, time, meta 0; hash text 0x42babdc2…7d83; 1239 bytes serialized', () => {
  expect([genesis.prev, genesis.time, genesis.meta]).toEqual([0n, 0n, 0n]);
  expect(hashText(blockHash(genesis))).toBe('0x42babdc25dd08f5a4cbcb5abcbdc13967123ed38b27ee71ab9408cbbcf2c7d83');
  const bytes = encodeBlock(genesis);
  expect(bytes).toHaveLength(1239);
  expect(bytes.subarray(0, 64).every((b) => b === 0)).toBe(true);
  expect(bytesToHex(bytes.subarray(64, 72))).toBe('a92038050061d003');
});

test('the height-1 block with meta 530 meets the initial target, meta 0 does not', () => {
  const child = (meta: bigint): Block => ({ prev: blockHash(genesis), time: 1672531200000n, meta, body: hexToBytes('00') });
  const good = child(530n);
  const bad = child(0n);
  expect(isValidChild(good, blockHash(good), genesis, params.initialTarget)).toBe(true);
  expect(isValidChild(bad, blockHash(bad), genesis, params.initialTarget)).toBe(false);
});

test('a network may bring its own genesis: another body, another hash', () => {
  const custom = chainParams({ genesisStatements: parseStatements('ctr {Pair a b}\nrun { (Done #7) }').statements });
  const block = genesisBlock(custom);
  expect(transactionsOf(block)).toHaveLength(2);
  expect(blockHash(block)).not.toBe(blockHash(genesis));
  // The default genesis is unchanged by it.
  expect(hashText(blockHash(genesisBlock(chainParams())))).toBe(hashText(blockHash(genesis)));
  expect(genesisBody([])).toEqual(new Uint8Array([0]));
});

test('a genesis too large for the strict packer is refused', () => {
  const many = parseStatements(Array.from({ length: 256 }, (_, i) => `run { (Done #${i}) }`).join('\n')).statements;
  expect(() => genesisBlock(chainParams({ genesisStatements: many }))).toThrow(/255|bytes/);
});

test('chain parameters: Appendix A by default; overrides checked against what the formats carry', () => {
  expect({ ...params, genesisStatements: undefined }).toEqual({
    networkId: DEFAULT_NETWORK_ID, initialTarget: 0xffn << 248n, targetBlockTimeMs: 1000, retargetPeriod: 20,
    futureToleranceMs: 3_600_000, maxBodyBytes: 1280, maxTransactionBytes: 1277, maxTransactions: 255, genesisStatements: undefined,
  });
  expect(DEFAULT_NETWORK_ID).toBe(0xcafe0007);
  expect(params.genesisStatements).toBe(defaultGenesisStatements());
  expect(chainParams({ networkId: 1, maxBodyBytes: undefined }).maxBodyBytes).toBe(1280);
  expect(chainParams({ maxBodyBytes: 100 }).maxTransactionBytes).toBe(97);
  for (const bad of [{ maxBodyBytes: 1281 }, { maxTransactions: 256 }, { maxTransactionBytes: 1278 }, { networkId: -1 }, { initialTarget: 1n << 256n }]) {
    expect(() => chainParams(bad)).toThrow(ChainParamsError);
  }
});
