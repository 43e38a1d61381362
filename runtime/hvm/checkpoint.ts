/**
 * Checkpoints: the complete committed state of a machine as bytes, and back (the node
 * persists them so that a restart need not re-execute the chain: kindelia-node.md
 * §7.3–7.4, defect 13).
 *
 * Layout (all multi-byte integers of the header little-endian, everything else LEB128
 * varints, see checkpoint-codec.ts):
 *
 *   header   "KNDLCKPT" (8 bytes) · version u16 · flags u16 (0) · total length u64
 *   sections id u8 · payload length · payload, in this order (version 1):
 *     1 counters  tick, mana, rwts, size, dups
 *     2 block     time, meta, hax0, hax1 (the block context registers)
 *     3 names     the name table in id order (ids are kept: cells hold them)
 *     4 heap      cells [1, top) (checkpoint-heap.ts)
 *     5 free      maxFreeSize, then (node size, head) of each non-empty free list
 *     6 arity     (name id, arity) of every defined constructor and function, by id
 *     7 funcs     (name id, source rules) of every function, by id; recompiled on load
 *     8 disk      (key, the root cell's four words) of every stored state
 *     9 owners    (namespace, owner)
 *    10 index     (name, position)
 *    11 hashes    (position, length, statement hash)
 *   trailer  Keccak-256 of every byte before it (32 bytes)
 *
 * Maps are written in their iteration order and restored in it. The journals (snapshots)
 * are not part of a checkpoint: a restored machine's history begins at its state.
 */
import { keccak256 } from '../crypto/index.js';
import { normalizeU120, type U120 } from '../kdl/u120.js';
import { ByteReader, ByteWriter, CheckpointError, malformed, readRules, writeRules } from './checkpoint-codec.js';
import { checkFreeLists, readHeap, writeHeap } from './checkpoint-heap.js';
import { compileFunction } from './functions.js';
import { MAX_CELLS, MAX_FREE_SIZE, Machine } from './machine.js';

export { CheckpointError, type CheckpointErrorReason } from './checkpoint-codec.js';

const MAGIC = new TextEncoder().encode('KNDLCKPT');
export const CHECKPOINT_VERSION = 1;
const HEADER_BYTES = 20;
const CHECKSUM_BYTES = 32;
const U120_BITS = 120;
/** Names are below 2^128 (the statement codec's bound); positions are (tick << 60) | index. */
const NAME_BITS = 128;
const POSITION_BITS = 128;

/** Section ids, in the order of version 1. */
const Section = { Counters: 1, Block: 2, Names: 3, Heap: 4, Free: 5, Arity: 6, Funcs: 7, Disk: 8, Owners: 9, Index: 10, Hashes: 11 } as const;
type SectionId = (typeof Section)[keyof typeof Section];

/** Writes `M`'s state (no statement may be open). */
export function encodeCheckpoint(M: Machine): Uint8Array {
  if (M.scratchOpen) throw new Error('checkpoint: a statement or block is still open');
  const out = new ByteWriter();
  out.bytes(new Uint8Array(HEADER_BYTES));
  const body = new ByteWriter();
  const section = (id: SectionId, write: (w: ByteWriter) => void): void => {
    body.length = 0;
    write(body);
    out.byte(id);
    out.varint(body.length);
    out.bytes(body.view());
  };
  section(Section.Counters, (w) => { w.varint(M.tick); w.varint(M.mana); w.varint(M.rwts); w.varint(M.size); w.varint(M.dups); });
  section(Section.Block, (w) => { for (const v of [M.time, M.meta, M.hax0, M.hax1]) w.bigVarint(v, U120_BITS); });
  section(Section.Names, (w) => {
    w.varint(M.names.size);
    for (let id = 0; id < M.names.size; id++) w.bigVarint(M.names.nameOf(id), NAME_BITS);
  });
  section(Section.Heap, (w) => writeHeap(w, M));
  section(Section.Free, (w) => {
    w.varint(M.maxFreeSize);
    const lists: number[] = [];
    for (let n = 1; n <= M.maxFreeSize; n++) if (M.freeHeads[n] !== 0) lists.push(n);
    w.varint(lists.length);
    for (const n of lists) { w.varint(n); w.u32(M.freeHeads[n]!); }
  });
  const defined = (values: ReadonlyArray<unknown>): number[] => {
    const ids: number[] = [];
    for (let id = 0; id < values.length; id++) if (values[id] !== undefined) ids.push(id);
    return ids;
  };
  section(Section.Arity, (w) => {
    const ids = defined(M.arity.values);
    w.varint(ids.length);
    for (const id of ids) { w.varint(id); w.varint(M.arity.values[id]!); }
  });
  section(Section.Funcs, (w) => {
    const ids = defined(M.funcs.values);
    w.varint(ids.length);
    for (const id of ids) { w.varint(id); writeRules(w, M.funcs.values[id]!.source); }
  });
  section(Section.Disk, (w) => {
    w.varint(M.disk.size);
    for (const [key, c] of M.disk) { w.bigVarint(key, U120_BITS); w.u32(c.w0); w.u32(c.w1); w.u32(c.w2); w.u32(c.w3); }
  });
  section(Section.Owners, (w) => {
    w.varint(M.owners.size);
    for (const [name, owner] of M.owners) { w.bigVarint(name, NAME_BITS); w.bigVarint(owner, U120_BITS); }
  });
  section(Section.Index, (w) => {
    w.varint(M.index.size);
    for (const [name, position] of M.index) { w.bigVarint(name, NAME_BITS); w.bigVarint(position, POSITION_BITS); }
  });
  section(Section.Hashes, (w) => {
    w.varint(M.hashes.size);
    for (const [position, hash] of M.hashes) { w.bigVarint(position, POSITION_BITS); w.varint(hash.length); w.bytes(hash); }
  });
  const total = out.length + CHECKSUM_BYTES;
  const bytes = new Uint8Array(total);
  bytes.set(out.view());
  bytes.set(MAGIC, 0);
  const header = new DataView(bytes.buffer);
  header.setUint16(8, CHECKPOINT_VERSION, true);
  header.setUint16(10, 0, true);
  header.setUint32(12, total % 2 ** 32, true);
  header.setUint32(16, Math.floor(total / 2 ** 32), true);
  bytes.set(keccak256(bytes.subarray(0, total - CHECKSUM_BYTES)), total - CHECKSUM_BYTES);
  return bytes;
}

/** Checks magic, version, length and checksum; returns where the sections end. */
function checkEnvelope(bytes: Uint8Array): number {
  const magicSeen = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < magicSeen; i++) {
    if (bytes[i] !== MAGIC[i]) throw new CheckpointError('bad-magic', 'not a Kindling checkpoint (wrong magic bytes)');
  }
  if (bytes.length < HEADER_BYTES) throw new CheckpointError('truncated', `${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = header.getUint16(8, true);
  if (version !== CHECKPOINT_VERSION) {
    throw new CheckpointError('unsupported-version', `format version ${version}; this runtime reads version ${CHECKPOINT_VERSION}`);
  }
  if (header.getUint16(10, true) !== 0) malformed(`unknown flags 0x${header.getUint16(10, true).toString(16)}`);
  const total = header.getUint32(12, true) + header.getUint32(16, true) * 2 ** 32;
  if (bytes.length < total) throw new CheckpointError('truncated', `${bytes.length} bytes of the ${total} announced`);
  if (bytes.length > total) malformed(`${bytes.length - total} bytes after the announced end (${total} bytes)`);
  if (total < HEADER_BYTES + CHECKSUM_BYTES) malformed(`announced length ${total} is shorter than header and checksum`);
  const end = total - CHECKSUM_BYTES;
  const expected = keccak256(bytes.subarray(0, end));
  for (let i = 0; i < CHECKSUM_BYTES; i++) {
    if (bytes[end + i] !== expected[i]) throw new CheckpointError('checksum-mismatch', 'the Keccak-256 checksum does not match the content');
  }
  return end;
}

/** The U120 of a varint, in the runtime's normal form. */
const readU120 = (r: ByteReader): U120 => normalizeU120(r.bigVarint(U120_BITS));

/** Rebuilds a machine from a checkpoint; throws CheckpointError. */
export function decodeCheckpoint(bytes: Uint8Array): Machine {
  const end = checkEnvelope(bytes);
  const M = new Machine();
  try {
    M.openScratch();
    readSections(new ByteReader(bytes, HEADER_BYTES, end), M);
    M.commitScratch();
    M.closeSegment(); // the restored state is where this machine's history begins
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    malformed(e instanceof Error ? e.message : String(e));
  }
  return M;
}

function readSections(input: ByteReader, M: Machine): void {
  const readers: Record<SectionId, (r: ByteReader) => void> = {
    [Section.Counters]: (r) => { M.tick = r.varint(); M.mana = r.varint(); M.rwts = r.varint(); M.size = r.varint(); M.dups = r.varint(); },
    [Section.Block]: (r) => { M.time = readU120(r); M.meta = readU120(r); M.hax0 = readU120(r); M.hax1 = readU120(r); },
    [Section.Names]: (r) => {
      const n = r.count();
      for (let id = 0; id < n; id++) {
        if (M.names.idOf(r.bigVarint(NAME_BITS)) !== id) malformed(`name ${id} repeats an earlier name or differs from the built-in IO names`);
      }
    },
    [Section.Heap]: (r) => readHeap(r, M, MAX_CELLS),
    [Section.Free]: (r) => {
      M.maxFreeSize = r.varint(MAX_FREE_SIZE);
      const n = r.count(2);
      for (let k = 0; k < n; k++) {
        const size = r.varint(M.maxFreeSize);
        if (size === 0 || M.freeHeads[size] !== 0) malformed(`free list of size ${size} is invalid or repeated`);
        M.freeHeads[size] = r.u32();
      }
      checkFreeLists(M);
    },
    [Section.Arity]: (r) => {
      const n = r.count(2);
      for (let k = 0; k < n; k++) M.arity.set(nameId(r, M), r.varint(2 ** 32));
    },
    [Section.Funcs]: (r) => {
      const n = r.count(2);
      for (let k = 0; k < n; k++) {
        const id = nameId(r, M);
        if (M.arity.values[id] === undefined) malformed(`function ${id} has no arity`);
        M.funcs.set(id, compileFunction(readRules(r), M.names));
      }
    },
    [Section.Disk]: (r) => {
      const n = r.count(5);
      for (let k = 0; k < n; k++) {
        const key = readU120(r);
        M.disk.set(key, { w0: r.u32(), w1: r.u32(), w2: r.u32(), w3: r.u32() });
      }
    },
    [Section.Owners]: (r) => {
      const n = r.count(2);
      for (let k = 0; k < n; k++) { const name = r.bigVarint(NAME_BITS); M.owners.set(name, readU120(r)); }
    },
    [Section.Index]: (r) => {
      const n = r.count(2);
      for (let k = 0; k < n; k++) { const name = r.bigVarint(NAME_BITS); M.index.set(name, r.bigVarint(POSITION_BITS)); }
    },
    [Section.Hashes]: (r) => {
      const n = r.count(2);
      for (let k = 0; k < n; k++) { const position = r.bigVarint(POSITION_BITS); M.hashes.set(position, r.bytesOf(r.varint())); }
    },
  };
  for (const id of Object.values(Section)) {
    const seen = input.byte();
    if (seen !== id) malformed(`section ${seen} where section ${id} was expected, at byte ${input.pos - 1}`);
    const r = input.sub(input.varint());
    readers[id](r);
    if (!r.atEnd) malformed(`section ${id} has ${r.end - r.pos} bytes left over`);
  }
  if (!input.atEnd) malformed(`${input.end - input.pos} bytes after the last section`);
}

function nameId(r: ByteReader, M: Machine): number {
  const id = r.varint();
  if (id >= M.names.size) malformed(`name id ${id} is not in the name table (${M.names.size} names)`);
  return id;
}
