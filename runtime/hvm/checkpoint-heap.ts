/**
 * The heap section of a checkpoint (checkpoint.ts): the cells [RESERVED, top), compactly.
 *
 * Free cells (word 0 is zero: tag 0) carry stale words that are never read, except word 1
 * of a free-list node's head, the link to the next node of its list (machine.ts). So a
 * free cell is written as zero unless it heads a free-list node, and runs of zero cells
 * collapse into one record. Records, each starting with one byte:
 *
 *   0x00 k               k zero cells
 *   0x01 link            a free-list node's head: (0, link, 0, 0)
 *   t|A|B [d] [ext]      a cell (t, ptr, ext, 0) with tag t in DP0..OP2; A = 0x80 when
 *                        ptr = 0, B = 0x40 when ext = 0; d = ptr − location, zigzag
 *   0x8D lo mid          a number below 2^64: (NUM, lo, mid, 0)
 *   0x0D hi lo mid top   any number: (NUM | hi << 8, lo, mid, top)
 *   0x0E w0 w1 w2 w3     any other cell, word by word
 *
 * All values are LEB128 varints. Restoring writes the same words at the same locations,
 * so every pointer, state and free list stays as it was.
 */
import { ByteReader, ByteWriter, malformed } from './checkpoint-codec.js';
import { CTR, DP0, FUN, NUM, OP2, TAG_MASK } from './cell.js';
import { MAX_FREE_SIZE, RESERVED, type Machine } from './machine.js';

const ZERO_RUN = 0x00;
const FREE_HEAD = 0x01;
const PLAIN_NO_PTR = 0x80;
const PLAIN_NO_EXT = 0x40;
const NUMBER_ANY = NUM;
const NUMBER_SMALL = NUM | 0x80;
const GENERIC = 0x0e;

/** One bit per cell [0, top): the heads of free-list nodes. Throws on a corrupt list. */
function freeListHeads(M: Machine): Uint32Array {
  const heads = new Uint32Array((M.top >>> 5) + 1);
  let budget = M.top;
  for (let n = 1; n <= Math.min(M.maxFreeSize, MAX_FREE_SIZE); n++) {
    for (let loc = M.freeHeads[n]!; loc !== 0; loc = M.mem[(loc << 2) + 1]!) {
      if (loc < RESERVED || loc + n > M.top || budget-- <= 0) throw new Error(`checkpoint: the free list of size ${n} is corrupt`);
      heads[loc >>> 5] = heads[loc >>> 5]! | (1 << (loc & 31));
    }
  }
  return heads;
}

function writeSmall(w: ByteWriter, n: number): void {
  if (n < 4294967296) w.u32(n); else w.varint(n);
}

export function writeHeap(w: ByteWriter, M: Machine): void {
  const m = M.mem, top = M.top, heads = freeListHeads(M);
  w.varint(top);
  let zeros = 0;
  for (let loc = RESERVED; loc < top; loc++) {
    const i = loc << 2, w0 = m[i]!;
    const head = w0 === 0 && (heads[loc >>> 5]! & (1 << (loc & 31))) !== 0;
    if (w0 === 0 && !head) { zeros++; continue; }
    if (zeros > 0) { w.byte(ZERO_RUN); w.varint(zeros); zeros = 0; }
    const w1 = m[i + 1]!, w2 = m[i + 2]!, w3 = m[i + 3]!;
    if (head) { w.byte(FREE_HEAD); w.u32(w1); continue; }
    const tag = w0 & TAG_MASK;
    if (w0 === tag && tag >= DP0 && tag <= OP2 && w3 === 0) {
      w.byte(tag | (w1 === 0 ? PLAIN_NO_PTR : 0) | (w2 === 0 ? PLAIN_NO_EXT : 0));
      if (w1 !== 0) { const d = w1 - loc; writeSmall(w, d >= 0 ? 2 * d : -2 * d - 1); }
      if (w2 !== 0) w.u32(w2);
    } else if (tag === NUM && (w0 >>> 8) === 0 && w3 === 0) {
      w.byte(NUMBER_SMALL); w.u32(w1); w.u32(w2);
    } else if (tag === NUM) {
      w.byte(NUMBER_ANY); w.u32(w0 >>> 8); w.u32(w1); w.u32(w2); w.u32(w3);
    } else {
      w.byte(GENERIC); w.u32(w0); w.u32(w1); w.u32(w2); w.u32(w3);
    }
  }
  if (zeros > 0) { w.byte(ZERO_RUN); w.varint(zeros); }
}

/**
 * Reads the heap section into `M`, a fresh machine whose name table is loaded: grows its
 * memory, sets `top` and writes the cells (a fresh memory is zero, so zero runs are
 * skipped). Pointers must stay below `top` and names inside the name table.
 */
export function readHeap(r: ByteReader, M: Machine, maxCells: number): void {
  const top = r.varint(maxCells);
  if (top < RESERVED) malformed(`heap top ${top} below ${RESERVED}`);
  M.reserve(top - M.top);
  M.top = top;
  const m = M.mem;
  let loc = RESERVED;
  while (loc < top) {
    const kind = r.byte(), i = loc << 2;
    if (kind === ZERO_RUN) {
      const k = r.varint();
      if (k === 0 || k > top - loc) malformed(`zero run of ${k} cells at cell ${loc} of ${top}`);
      loc += k;
      continue;
    }
    if (kind === FREE_HEAD) {
      m[i + 1] = r.u32();
    } else if (kind === NUMBER_SMALL) {
      m[i] = NUM; m[i + 1] = r.u32(); m[i + 2] = r.u32();
    } else if (kind === NUMBER_ANY) {
      const hi = r.u32();
      if (hi > 0xffffff) malformed(`number cell at ${loc} has more than 120 bits`);
      m[i] = (NUM | (hi << 8)) >>> 0; m[i + 1] = r.u32(); m[i + 2] = r.u32(); m[i + 3] = r.u32();
    } else if (kind === GENERIC) {
      m[i] = r.u32(); m[i + 1] = r.u32(); m[i + 2] = r.u32(); m[i + 3] = r.u32();
      if (m[i] === 0) malformed(`generic cell at ${loc} is free`);
    } else {
      const tag = kind & TAG_MASK & ~(PLAIN_NO_PTR | PLAIN_NO_EXT);
      if (tag < DP0 || tag > OP2) malformed(`unknown cell record 0x${kind.toString(16)} at cell ${loc}`);
      m[i] = tag;
      if ((kind & PLAIN_NO_PTR) === 0) {
        const z = r.varint(2 ** 33);
        const ptr = z % 2 === 0 ? loc + z / 2 : loc - (z + 1) / 2;
        if (ptr < 0 || ptr >= top) malformed(`cell at ${loc} points outside the heap (${ptr})`);
        m[i + 1] = ptr;
      }
      if ((kind & PLAIN_NO_EXT) === 0) m[i + 2] = r.u32();
      if ((tag === CTR || tag === FUN) && m[i + 2]! >= M.names.size) malformed(`cell at ${loc} names the unknown name id ${m[i + 2]}`);
    }
    loc++;
  }
}

/** Every free list stays inside the heap, on free cells, without cycles. */
export function checkFreeLists(M: Machine): void {
  let budget = M.top;
  for (let n = 1; n <= M.maxFreeSize; n++) {
    for (let loc = M.freeHeads[n]!; loc !== 0; loc = M.mem[(loc << 2) + 1]!) {
      if (loc < RESERVED || loc + n > M.top || budget-- <= 0) malformed(`the free list of size ${n} leaves the heap or loops`);
      if (M.mem[loc << 2] !== 0) malformed(`the free list of size ${n} passes through the live cell ${loc}`);
    }
  }
}
