/**
 * The chain (kindelia-node.md §4): fork choice by work, reorganisation, execution, pending
 * blocks, and the original's defects fixed (§11.2 rows 1–4). The strongest test: random fork
 * trees, added in random orders, where after every addition the runtime's state equals a
 * fresh runtime that executed the canonical chain from genesis.
 */
import fc from 'fast-check';
import { Runtime } from '../../../runtime/hvm/index.js';
import { encodeBlockBody, encodeTransaction, parseStatements, type Statement } from '../../../runtime/kdl/index.js';
import { blockHash, meetsTarget, targetOf, workOf, type Block } from '../../../runtime/node/block/index.js';
import { Chain, blockContext, blockStatements, type ChainBlock } from '../../../runtime/node/chain/index.js';
import { chainParams } from '../../../runtime/node/params.js';

/** Any hash meets target 0; no retargeting within the tests' chains. */
const EASY = chainParams({ initialTarget: 0n, retargetPeriod: 1_000_000 });
const NOW = 1_700_000_000_000;

function body(statements: readonly Statement[]): Uint8Array {
  return encodeBlockBody(statements.map(encodeTransaction));
}

function child(parent: Block, statements: readonly Statement[], meta = 0n, dt = 1000n): Block {
  return { prev: blockHash(parent), time: parent.time + dt, meta, body: body(statements) };
}

/** Mines `block` against `target` by trying metas upward. */
function mined(block: Block, target: bigint): Block {
  let b = block;
  while (!meetsTarget(blockHash(b), target)) b = { ...b, meta: b.meta + 1n };
  return b;
}

function newChain(params = EASY) {
  const runtime = new Runtime();
  const chain = new Chain({ params, runtime, now: () => NOW });
  return { runtime, chain };
}

/** The state a fresh node reaches executing the canonical chain from genesis (memoized by tip within a trial). */
function replayChecksum(chain: Chain, memo?: Map<bigint, string>): string {
  const known = memo?.get(chain.tip.hash);
  if (known !== undefined) return known;
  const runtime = new Runtime();
  for (let h = 1; h <= chain.height; h++) {
    const b = chain.at(h)!;
    runtime.runBlock(blockStatements(b.block), blockContext(b.block, b.hash));
  }
  const sum = runtime.checksum();
  memo?.set(chain.tip.hash, sum);
  return sum;
}

const statements = (text: string) => parseStatements(text).statements;
const INC = statements("run { ask (Call 'Count' {Inc}); (Done #0) }");
const GET = statements("run { ask x = (Call 'Count' {Get}); (Done x) }");

describe('adding blocks', () => {
  test('a valid child extends the tip and is executed at its height', () => {
    const { chain, runtime } = newChain();
    const b1 = child(chain.genesis.block, [...INC, ...GET]);
    const out = chain.add(b1);
    expect(out).toMatchObject({ status: 'included', tipChange: { common: 0, connected: [{ height: 1 }], disconnected: [] } });
    expect(chain.height).toBe(1);
    expect(runtime.tick).toBe(1);
    expect(chain.resultsOf(blockHash(b1))!.map((o) => (o.ok && o.kind === 'run' ? o.text : '?'))).toEqual(['#0', '#1']);
    expect(chain.add(b1).status).toBe('already-included');
  });

  test('a block from too far in the future is dropped, not stored, and can come again', () => {
    const { chain } = newChain();
    const late = { ...child(chain.genesis.block, []), time: BigInt(NOW + 3_600_000) };
    expect(chain.add(late).status).toBe('too-late');
    expect(chain.state(blockHash(late))).toBe('unseen');
  });

  test('a child whose parent is unknown waits; its arrival releases the whole line', () => {
    const { chain } = newChain();
    const b1 = child(chain.genesis.block, INC);
    const b2 = child(b1, INC);
    const b3 = child(b2, GET);
    expect(chain.add(b3).status).toBe('missing-parent');
    expect(chain.add(b2).status).toBe('missing-parent');
    expect(chain.state(blockHash(b3))).toBe('pending');
    expect(chain.state(blockHash(b1))).toBe('missing');
    expect(chain.missingAncestor(blockHash(b3))).toBe(blockHash(b1));
    const out = chain.add(b1);
    expect(out.status).toBe('included');
    expect(chain.height).toBe(3);
    expect(chain.resultsOf(blockHash(b3))!.map((o) => (o.ok && o.kind === 'run' ? o.text : '?'))).toEqual(['#2']);
    expect(chain.pendingCount).toBe(0);
  });

  test('pending blocks are bounded: the oldest is forgotten first (defect 14)', () => {
    const runtime = new Runtime();
    const chain = new Chain({ params: EASY, runtime, now: () => NOW, maxPending: 3 });
    const orphans = [1, 2, 3, 4].map((i) => ({ prev: BigInt(i), time: 1000n, meta: 0n, body: body([]) }));
    for (const o of orphans) expect(chain.add(o).status).toBe('missing-parent');
    expect(chain.pendingCount).toBe(3);
    expect(chain.state(blockHash(orphans[0]!))).toBe('unseen');
    expect(chain.state(blockHash(orphans[3]!))).toBe('pending');
  });
});

describe('invalid blocks are never stored or executed, nor their descendants (defects 1–4)', () => {
  const params = chainParams({ retargetPeriod: 1_000_000 }); // the real initial target (difficulty 256)

  test('a block that misses the target', () => {
    const { chain } = newChain(params);
    let b = child(chain.genesis.block, INC);
    while (meetsTarget(blockHash(b), params.initialTarget)) b = { ...b, meta: b.meta + 1n };
    expect(chain.add(b)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/target/) });
    expect(chain.state(blockHash(b))).toBe('invalid');
    expect(chain.height).toBe(0);
    // Its child needs no work in the original (target 0); here it is refused.
    expect(chain.add(child(b, []))).toMatchObject({ status: 'invalid', reason: 'its parent is invalid' });
  });

  test('a time not after the parent\'s', () => {
    const { chain } = newChain();
    const b1 = child(chain.genesis.block, []);
    chain.add(b1);
    expect(chain.add({ ...child(b1, []), time: b1.time })).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/time/) });
  });

  test('descendants waiting for an invalid block become invalid when it arrives', () => {
    const { chain } = newChain();
    const b1 = child(chain.genesis.block, []);
    chain.add(b1);
    const bad = { ...child(b1, []), time: b1.time };
    const under = child({ ...bad, time: bad.time }, [], 0n, 5n);
    expect(chain.add(under).status).toBe('missing-parent');
    expect(chain.add(bad).status).toBe('invalid');
    expect(chain.state(blockHash(under))).toBe('invalid');
    expect(chain.pendingCount).toBe(0);
  });

  test('malformed or oversized bodies', () => {
    const { chain } = newChain();
    const g = chain.genesis.block;
    const at = (b: Uint8Array) => ({ prev: blockHash(g), time: 1000n, meta: 0n, body: b });
    expect(chain.add(at(new Uint8Array(0))).status).toBe('invalid');
    expect(chain.add(at(new Uint8Array(1281))).status).toBe('invalid');
    expect(chain.add(at(new Uint8Array([0x80, 0x50]))).status).toBe('invalid'); // one transaction declared, cut in its length
    expect(chain.height).toBe(0);
  });
});

describe('fork choice and reorganisation', () => {
  test('the branch with more work wins, and the state is the new branch\'s', () => {
    const { chain, runtime } = newChain();
    const g = chain.genesis.block;
    const a1 = child(g, INC, 1n);
    const a2 = child(a1, INC, 1n);
    chain.add(a1); chain.add(a2);
    // A competing branch: more blocks on it eventually weigh more than a's two.
    const branch: Block[] = [child(g, [], 7n)];
    let out = chain.add(branch[0]!);
    while (chain.tip.hash !== blockHash(branch.at(-1)!)) {
      const next = child(branch.at(-1)!, GET, 7n);
      branch.push(next);
      out = chain.add(next);
    }
    expect(out).toMatchObject({ status: 'included', tipChange: { common: 0 } });
    if (out.status !== 'included') throw new Error('unreachable');
    expect(out.tipChange!.disconnected.map((b) => b.hash)).toEqual([blockHash(a2), blockHash(a1)]);
    expect(out.tipChange!.connected.map((b) => b.hash)).toEqual(branch.map(blockHash));
    // Count was never incremented on the new branch.
    expect(chain.resultsOf(blockHash(branch.at(-1)!))!.map((o) => (o.ok && o.kind === 'run' ? o.text : '?'))).toEqual(['#0']);
    expect(runtime.checksum()).toBe(replayChecksum(chain));
    expect(chain.resultsOf(blockHash(a1))).toBeUndefined();
  });

  test('equal work keeps the first-seen tip; strictly more work takes over', () => {
    const { chain } = newChain();
    const g = chain.genesis.block;
    // With target 0 the work of a hash is floor(MAXU / (MAXU − hash)): 1 for half of all hashes.
    const withWork = (w: bigint, from: bigint) => {
      let b = child(g, [], from);
      while (workOf(blockHash(b)) !== w) b = { ...b, meta: b.meta + 1n };
      return b;
    };
    const first = withWork(1n, 0n);
    const tie = withWork(1n, first.meta + 1n);
    expect(chain.add(first)).toMatchObject({ status: 'included', tipChange: expect.anything() });
    const out = chain.add(tie);
    expect(out.status).toBe('included');
    expect(out).not.toHaveProperty('tipChange');
    expect(chain.tip.hash).toBe(blockHash(first));
    const heavier = withWork(2n, tie.meta + 1n);
    expect(chain.add(heavier)).toMatchObject({ tipChange: { common: 0, disconnected: [{ hash: blockHash(first) }] } });
    expect(chain.tip.hash).toBe(blockHash(heavier));
  });

  test('the first retarget applies at height 21, to the children of block 21 (§3.4)', () => {
    const params = chainParams({ initialTarget: 0n });
    const { chain } = newChain(params);
    let b = chain.genesis.block;
    // 500 ms apart: 20 blocks in 10 s, twice the rate, so the difficulty doubles (from 1 to 2).
    for (let h = 1; h <= 21; h++) {
      b = child(b, [], 0n, 500n);
      expect(chain.add(b).status).toBe('included');
    }
    expect(chain.at(20)!.target).toBe(0n);
    expect(chain.at(21)!.target).toBe(targetOf(2n));
    const unmined = child(b, [], 0n);
    const next = meetsTarget(blockHash(unmined), targetOf(2n)) ? { ...unmined, meta: 1n } : unmined;
    if (!meetsTarget(blockHash(next), targetOf(2n))) expect(chain.add(next).status).toBe('invalid');
    expect(chain.add(mined(child(b, [], 100n), targetOf(2n))).status).toBe('included');
    expect(chain.height).toBe(22);
  });
});

describe('random fork trees (fast-check)', () => {
  /** A tree: block i's parent is an earlier block (or genesis), with some statements. */
  const tree = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.boolean(), fc.nat({ max: 2000 })), { minLength: 1, maxLength: 10 });

  test('1,000 trees: after every addition, in any order, the state equals replaying the canonical chain from genesis', () => {
    fc.assert(fc.property(tree, fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (shape, order) => {
      const { chain, runtime } = newChain();
      const memo = new Map<bigint, string>();
      const blocks: Block[] = [];
      shape.forEach(([parentPick, incs, deploy, jitter], i) => {
        const parent = i === 0 || parentPick % (i + 1) === 0 ? chain.genesis.block : blocks[parentPick % i]!;
        const stmts = [
          ...Array.from({ length: incs }, () => INC[0]!),
          ...(deploy ? statements(`fun (F${i}) { (F${i}) = #${i} }`) : []),
          ...GET,
        ];
        blocks.push(child(parent, stmts, BigInt(i), 1000n + BigInt(jitter)));
      });
      // Add in a shuffled order (children before parents exercise the pending set).
      const queue = blocks.map((b, i) => ({ b, key: order[i % order.length]! * 31 + i }));
      queue.sort((x, y) => x.key - y.key);
      for (const { b } of queue) {
        const out = chain.add(b);
        expect(['included', 'missing-parent']).toContain(out.status);
        expect(runtime.tick).toBe(chain.height);
        expect(runtime.checksum()).toBe(replayChecksum(chain, memo));
      }
      expect(chain.pendingCount).toBe(0);
      // The tip is the block of greatest work.
      const all = blocks.map((b) => chain.get(blockHash(b))!).filter((b): b is ChainBlock => b !== undefined);
      expect(all.every((b) => b.work <= chain.tip.work)).toBe(true);
    }), { numRuns: 1000, seed: 1234 });
  });
});

describe('restoring from a store', () => {
  /** A chain of `n` blocks with a side branch of 2 at height 3. */
  function built(n: number) {
    const { chain } = newChain();
    const blocks: Block[] = [];
    let b = chain.genesis.block;
    for (let i = 0; i < n; i++) { b = child(b, i % 2 === 0 ? INC : GET, BigInt(i)); blocks.push(b); chain.add(b); }
    const side1 = child(blocks[2]!, INC, 999n);
    chain.add(side1);
    chain.add(child(side1, INC, 998n));
    const records = [...blocks, side1].map((x) => chain.get(blockHash(x))).filter((x): x is ChainBlock => x !== undefined);
    const canonical = Array.from({ length: chain.height + 1 }, (_v, h) => chain.at(h)!.hash);
    return { chain, records, canonical };
  }

  /** A runtime that executed the canonical chain up to `tick` (what a checkpoint holds). */
  function runtimeAt(chain: Chain, tick: number): Runtime {
    const runtime = new Runtime();
    for (let h = 1; h <= tick; h++) { const b = chain.at(h)!; runtime.runBlock(blockStatements(b.block), blockContext(b.block, b.hash)); }
    return runtime;
  }

  test('from a runtime at a checkpoint, only the blocks above it are executed, and the state is the same', () => {
    const { chain, records, canonical } = built(12);
    const restored = Chain.restore({ params: EASY, runtime: runtimeAt(chain, 8), now: () => NOW, blocks: records, canonical, runtimeHash: chain.at(8)!.hash });
    expect(restored.executed).toBe(chain.height - 8);
    expect(restored.chain.tip.hash).toBe(chain.tip.hash);
    expect(restored.chain.runtime.checksum()).toBe(chain.runtime.checksum());
    // Side branches come back too.
    expect(restored.chain.childrenOf(blockHash(records[2]!.block))).toHaveLength(2);
  });

  test('a runtime that does not match the canonical block at its tick is replaced by genesis and everything re-executed', () => {
    const { chain, records, canonical } = built(6);
    const restored = Chain.restore({ params: EASY, runtime: runtimeAt(chain, 4), now: () => NOW, blocks: records, canonical, runtimeHash: 123n });
    expect(restored.executed).toBe(chain.height);
    expect(restored.chain.runtime.checksum()).toBe(chain.runtime.checksum());
  });

  test('blocks whose parent is missing and a canonical list that does not link up are dropped back to what is consistent', () => {
    const { chain, records, canonical } = built(8);
    // Without block 5 (and without the side branch, so that block 4 is the best tip left).
    const withoutFive = records.filter((r) => r.height !== 5 && chain.isCanonical(r.hash));
    const restored = Chain.restore({ params: EASY, runtime: new Runtime(), now: () => NOW, blocks: withoutFive, canonical });
    expect(restored.chain.height).toBe(4);
    expect(restored.chain.at(4)!.hash).toBe(chain.at(4)!.hash);
    expect(restored.chain.runtime.checksum()).toBe(replayChecksum(restored.chain));
    // The missing block arrives again from a peer: everything above it is still known... and re-added by the peer.
    expect(restored.chain.add(chain.at(5)!.block).status).toBe('included');
  });
});
