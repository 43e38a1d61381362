import { blockHash, hashText, serializedSize, type Block } from '../../../../runtime/node/block/index.js';
import {
  BLOCK_REPLY_BUDGET, MAX_DATAGRAM_BYTES, blockReplyChunk, decodeMessage, encodeMessage, parseIPv4,
  type DecodedMessage, type Message,
} from '../../../../runtime/node/net/index.js';

const MAGIC = 0xcafe0007;
const GENESIS = BigInt('0x42babdc25dd08f5a4cbcb5abcbdc13967123ed38b27ee71ab9408cbbcf2c7d83');
const JAN_2023 = 1672531200000;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function decoded(bytes: Uint8Array, expected?: number): Message {
  const result = decodeMessage(bytes, expected);
  if (!result.ok) throw new Error(`expected a message, got ${result.reason}: ${result.detail}`);
  expect(result.networkId).toBe(MAGIC);
  return result.message;
}

function failure(result: DecodedMessage): { reason: string; detail: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.message, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return result;
}

const heightOne: Block = { prev: GENESIS, time: BigInt(JAN_2023), meta: 0n, body: new Uint8Array([0]) };

describe('the message vectors of §10.6 (magic 0xCAFE0007)', () => {
  test('NoticeTheseBlocks{gossip: false, [], []} is e0007f5300', () => {
    const message: Message = { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [] };
    const bytes = encodeMessage(MAGIC, message);
    expect(hex(bytes)).toBe('e0007f5300');
    expect(decoded(bytes, MAGIC)).toEqual(message);
  });

  test('GiveMeThatBlock(genesis)', () => {
    const bytes = encodeMessage(MAGIC, { tag: 'GiveMeThatBlock', hash: GENESIS });
    expect(hex(bytes)).toBe('e0007f538c1be34f3dd31029d58e77e4d1cb7c48e69c83bd3d5ad3d325af10bba43bd5d420');
    const message = decoded(bytes, MAGIC);
    expect(message.tag).toBe('GiveMeThatBlock');
    if (message.tag === 'GiveMeThatBlock') expect(hashText(message.hash)).toBe('0x42babdc25dd08f5a4cbcb5abcbdc13967123ed38b27ee71ab9408cbbcf2c7d83');
  });

  const noticeHex =
    'e0007f530f06f8d3cf74c40a75639df93472df1239a720ef4f56b4f4c96bc42ee90ef57508004c155a86000000000000000000000000000000000000000000000000' +
    '0000020000017f0000400412800982ab50c000';

  test('the 85-byte NoticeTheseBlocks with one block and one peer', () => {
    const message: Message = {
      tag: 'NoticeTheseBlocks', gossip: true, blocks: [heightOne],
      peers: [{ address: { host: '127.0.0.1', port: 42000 }, seenAt: JAN_2023 }],
    };
    const bytes = encodeMessage(MAGIC, message);
    expect(bytes.length).toBe(85);
    expect(hex(bytes)).toBe(noticeHex);
    const back = decoded(unhex(noticeHex), MAGIC);
    expect(back).toEqual(message);
    if (back.tag === 'NoticeTheseBlocks') expect(blockHash(back.blocks[0]!)).toBe(blockHash(heightOne));
  });

  test('PleaseMineThisTransaction(run { (Done #1) })', () => {
    const tx = unhex('4acb4f9dc5e800000000');
    const bytes = encodeMessage(MAGIC, { tag: 'PleaseMineThisTransaction', transaction: tx });
    expect(hex(bytes)).toBe('e0007f534500052d3f2b9a317000000000');
    expect(decoded(bytes, MAGIC)).toEqual({ tag: 'PleaseMineThisTransaction', transaction: tx });
  });

  test('without an expected network id any magic decodes, and is reported', () => {
    const bytes = encodeMessage(0xcafe0004, { tag: 'GiveMeThatBlock', hash: 1n });
    const result = decodeMessage(bytes);
    expect(result.ok && result.networkId).toBe(0xcafe0004);
  });
});

describe('transactions are normalized (§2.2)', () => {
  test('sent padded to a non-zero multiple of 5', () => {
    const bytes = encodeMessage(MAGIC, { tag: 'PleaseMineThisTransaction', transaction: new Uint8Array([1, 2, 3]) });
    expect(decoded(bytes)).toEqual({ tag: 'PleaseMineThisTransaction', transaction: new Uint8Array([1, 2, 3, 0, 0]) });
    const empty = encodeMessage(MAGIC, { tag: 'PleaseMineThisTransaction', transaction: new Uint8Array(0) });
    expect(decoded(empty)).toEqual({ tag: 'PleaseMineThisTransaction', transaction: new Uint8Array(5) });
  });

  test('received with a declared length that is not a multiple of 5 (or is 0): padded', () => {
    // header, code 2, length 3, bytes 1 2 3 — written by hand with a bit list
    const bits: number[] = [];
    const push = (n: number, v: number) => { for (let i = 0; i < n; i++) bits.push(Math.floor(v / 2 ** i) % 2); };
    push(32, MAGIC); push(4, 2); push(16, 3); push(8, 1); push(8, 2); push(8, 3);
    const three = packBits(bits);
    expect(decoded(three)).toEqual({ tag: 'PleaseMineThisTransaction', transaction: new Uint8Array([1, 2, 3, 0, 0]) });
    bits.length = 0; push(32, MAGIC); push(4, 2); push(16, 0);
    expect(decoded(packBits(bits))).toEqual({ tag: 'PleaseMineThisTransaction', transaction: new Uint8Array(5) });
  });

  test('the longest: 1275 bytes (1275 normalized) passes, 1276 (1280 normalized) is oversize', () => {
    const ok = encodeMessage(MAGIC, { tag: 'PleaseMineThisTransaction', transaction: new Uint8Array(1275).fill(7) });
    const message = decoded(ok);
    expect(message.tag === 'PleaseMineThisTransaction' && message.transaction.length).toBe(1275);
    expect(() => encodeMessage(MAGIC, { tag: 'PleaseMineThisTransaction', transaction: new Uint8Array(1276) })).toThrow(RangeError);
  });
});

function packBits(bits: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => { if (b) out[i >> 3]! |= 0x80 >> (i & 7); });
  return out;
}

/** A code-2 datagram declaring `length` bytes and carrying `carried` of them. */
function transactionDatagram(length: number, carried: number): Uint8Array {
  const bits: number[] = [];
  const push = (n: number, v: number) => { for (let i = 0; i < n; i++) bits.push(Math.floor(v / 2 ** i) % 2); };
  push(32, MAGIC); push(4, 2); push(16, length);
  for (let i = 0; i < carried; i++) push(8, 0x55);
  return packBits(bits);
}

describe('every decode failure has a reason and a detail', () => {
  test('truncated: too short for the header, the hash, a block, a transaction', () => {
    expect(failure(decodeMessage(new Uint8Array(0))).reason).toBe('truncated');
    expect(failure(decodeMessage(unhex('e0007f53'))).reason).toBe('truncated');
    const hashRequest = encodeMessage(MAGIC, { tag: 'GiveMeThatBlock', hash: GENESIS });
    const cut = failure(decodeMessage(hashRequest.slice(0, 20)));
    expect(cut.reason).toBe('truncated');
    expect(cut.detail).toMatch(/block hash/);
    const notice = encodeMessage(MAGIC, { tag: 'NoticeTheseBlocks', gossip: true, blocks: [heightOne], peers: [] });
    const block = failure(decodeMessage(notice.slice(0, 40)));
    expect(block.reason).toBe('truncated');
    expect(block.detail).toMatch(/block 0/);
    const tx = failure(decodeMessage(transactionDatagram(10, 9)));
    expect(tx.reason).toBe('truncated');
    expect(tx.detail).toMatch(/transaction/);
  });

  test('truncated, not a crash: the datagram ends on a peer-list 1 just before a peer (defect 5)', () => {
    // In the 85-byte vector the peer list's continuation bit is bit 575, the last bit of byte 71.
    const full = unhex(
      'e0007f530f06f8d3cf74c40a75639df93472df1239a720ef4f56b4f4c96bc42ee90ef57508004c155a86000000000000000000000000000000000000000000000000' +
        '0000020000017f0000400412800982ab50c000',
    );
    const cut = full.slice(0, 72);
    expect(cut[71]! & 1).toBe(1);
    const result = failure(decodeMessage(cut, MAGIC));
    expect(result.reason).toBe('truncated');
    expect(result.detail).toMatch(/peer 0/);
  });

  test('bad-magic: another network id when one is expected', () => {
    const bytes = encodeMessage(0xcafe0006, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [] });
    const result = failure(decodeMessage(bytes, MAGIC));
    expect(result.reason).toBe('bad-magic');
    expect(result.detail).toContain('cafe0006');
    // only the magic is needed to tell
    expect(failure(decodeMessage(bytes.slice(0, 4), MAGIC)).reason).toBe('bad-magic');
  });

  test.each([3, 7, 15])('unknown-code: code %d', (code) => {
    const bytes = encodeMessage(MAGIC, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [] });
    // the code is bits 32..35, LSB first: the high nibble of byte 4, bit-reversed
    const rev4 = ((code & 1) << 3) | ((code & 2) << 1) | ((code & 4) >> 1) | ((code & 8) >> 3);
    bytes[4] = (bytes[4]! & 0x0f) | (rev4 << 4);
    const result = failure(decodeMessage(bytes, MAGIC));
    expect(result.reason).toBe('unknown-code');
    expect(result.detail).toContain(String(code));
  });

  test('ipv6-address: a peer whose address tag is 1', () => {
    const bytes = encodeMessage(MAGIC, {
      tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: '10.0.0.1', port: 42001 }, seenAt: 5 }],
    });
    expect(decodeMessage(bytes, MAGIC).ok).toBe(true);
    // bits: 36 gossip, 37 end of blocks, 38 peer follows, 39 address tag
    bytes[4]! |= 0x01;
    const result = failure(decodeMessage(bytes, MAGIC));
    expect(result.reason).toBe('ipv6-address');
    expect(result.detail).toMatch(/peer 0/);
  });

  test('oversize-transaction: more than 1277 bytes once normalized', () => {
    expect(failure(decodeMessage(transactionDatagram(1278, 1278))).reason).toBe('oversize-transaction');
    expect(failure(decodeMessage(transactionDatagram(1276, 1276))).reason).toBe('oversize-transaction');
    expect(failure(decodeMessage(transactionDatagram(65535, 65535 - 10))).reason).toBe('truncated');
    expect(decodeMessage(transactionDatagram(1277, 1277)).ok).toBe(false); // 1277 → 1280 normalized
    expect(decodeMessage(transactionDatagram(1275, 1275)).ok).toBe(true);
  });

  test('malformed: a datagram longer than the receive buffer', () => {
    const big = new Uint8Array(MAX_DATAGRAM_BYTES + 1);
    big.set(encodeMessage(MAGIC, { tag: 'GiveMeThatBlock', hash: 1n }));
    const result = failure(decodeMessage(big, MAGIC));
    expect(result.reason).toBe('malformed');
    expect(result.detail).toContain(String(MAX_DATAGRAM_BYTES));
    expect(decodeMessage(big.slice(0, MAX_DATAGRAM_BYTES), MAGIC).ok).toBe(true);
  });

  test('trailing bytes after a message are ignored, as in the original', () => {
    const bytes = new Uint8Array([...encodeMessage(MAGIC, { tag: 'GiveMeThatBlock', hash: 9n }), 0xff, 0xff]);
    expect(decoded(bytes)).toEqual({ tag: 'GiveMeThatBlock', hash: 9n });
  });
});

describe('encoding refuses what the format cannot carry', () => {
  test.each<[string, number, Message]>([
    ['a network id over 32 bits', 2 ** 32, { tag: 'GiveMeThatBlock', hash: 0n }],
    ['a negative hash', MAGIC, { tag: 'GiveMeThatBlock', hash: -1n }],
    ['a hash of 257 bits', MAGIC, { tag: 'GiveMeThatBlock', hash: 1n << 256n }],
    ['a host name', MAGIC, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: 'localhost', port: 1 }, seenAt: 0 }] }],
    ['an octet over 255', MAGIC, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: '1.2.3.256', port: 1 }, seenAt: 0 }] }],
    ['a port over 16 bits', MAGIC, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: '1.2.3.4', port: 65536 }, seenAt: 0 }] }],
    ['a negative seenAt', MAGIC, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: '1.2.3.4', port: 1 }, seenAt: -1 }] }],
  ])('%s', (_, id, message) => {
    expect(() => encodeMessage(id, message)).toThrow(RangeError);
  });

  test('seenAt keeps its low 48 bits on the wire [COMPAT]', () => {
    const bytes = encodeMessage(MAGIC, {
      tag: 'NoticeTheseBlocks', gossip: false, blocks: [], peers: [{ address: { host: '1.2.3.4', port: 1 }, seenAt: 2 ** 48 + 12 }],
    });
    const message = decoded(bytes);
    expect(message.tag === 'NoticeTheseBlocks' && message.peers[0]!.seenAt).toBe(12);
  });

  test('parseIPv4', () => {
    expect(parseIPv4('127.0.0.1')).toEqual([127, 0, 0, 1]);
    expect(parseIPv4('255.255.255.255')).toEqual([255, 255, 255, 255]);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '::1', 'a.b.c.d', ' 1.2.3.4', '1.2.3.4 ']) expect(parseIPv4(bad)).toBeUndefined();
  });
});

describe('blockReplyChunk (§6.4)', () => {
  const block = (bodyBytes: number, n: number): Block => ({ prev: BigInt(n), time: 0n, meta: 0n, body: new Uint8Array(bodyBytes) });

  test('empty blocks: 119 of 67 bytes fit in 8000', () => {
    const line = Array.from({ length: 200 }, (_, i) => block(1, i));
    const chunk = blockReplyChunk(line);
    expect(chunk.length).toBe(119);
    expect(chunk).toEqual(line.slice(0, 119));
    expect(BLOCK_REPLY_BUDGET).toBe(8000);
  });

  test('a total of exactly the budget is kept; one byte more stops the chunk', () => {
    // 4 × 2000 = 8000: all four fit; a fifth of any size does not
    const exact = [block(1934, 0), block(1934, 1), block(1934, 2), block(1934, 3), block(0, 4)];
    expect(exact.slice(0, 4).reduce((s, b) => s + serializedSize(b), 0)).toBe(8000);
    expect(blockReplyChunk(exact).length).toBe(4);
    const over = [block(1934, 0), block(1934, 1), block(1934, 2), block(1935, 3), block(0, 4)];
    // stops at the first misfit, even though the small fifth block would fit
    expect(blockReplyChunk(over).length).toBe(3);
  });

  test('a first block larger than the budget gives an empty chunk; the budget is a parameter', () => {
    expect(blockReplyChunk([block(9000, 0)])).toEqual([]);
    expect(blockReplyChunk([block(0, 0), block(0, 1), block(0, 2)], 132).length).toBe(2);
    expect(blockReplyChunk([])).toEqual([]);
  });

  test('reads its input lazily', () => {
    let pulled = 0;
    function* ancestors(): Generator<Block> { for (;;) { pulled++; yield block(1, pulled); } }
    expect(blockReplyChunk(ancestors()).length).toBe(119);
    expect(pulled).toBe(120);
  });
});
