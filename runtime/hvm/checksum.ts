/**
 * A deterministic checksum of the runtime state, for tests (the protocol has none,
 * spec §14.7): counters, every table in sorted order, and the graph of every stored
 * state with nodes numbered in discovery order, so that memory addresses and name ids
 * do not matter. Two runtimes with the same history give the same checksum.
 */
import { nameToText } from '../kdl/names.js';
import type { Term } from '../kdl/ast.js';
import { encodeTerm } from '../kdl/serialize.js';
import { bytesToHex, keccak256 } from '../crypto/index.js';
import {
  APP, ARG, CTR, DP0, DP1, FUN, LAM, NUM, OP2, SUP, TAG_MASK, VAR, numberOfWords, type CellValue,
} from './cell.js';
import type { Machine } from './machine.js';

const compareBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

/** Location and size of the node a cell points to, or undefined for cells without one. */
function nodeOf(M: Machine, cell: CellValue): [number, number] | undefined {
  const tag = cell.w0 & TAG_MASK;
  switch (tag) {
    case LAM: case VAR: case APP: case SUP: case OP2: return [cell.w1, 2];
    case DP0: case DP1: return [cell.w1, 3];
    case CTR: case FUN: {
      const arity = M.arity.values[cell.w2] ?? 0;
      return arity > 0 ? [cell.w1, arity] : undefined;
    }
    default: return undefined;
  }
}

export function stateChecksum(M: Machine): string {
  const lines: string[] = [];
  lines.push(`counters ${M.tick} ${M.time} ${M.meta} ${M.hax0} ${M.hax1} ${M.dups} ${M.rwts} ${M.mana} ${M.size}`);

  const defined: Array<[bigint, number]> = [];
  for (let id = 0; id < M.names.size; id++) {
    const arity = M.arity.values[id];
    if (arity !== undefined) defined.push([M.names.nameOf(id), id]);
  }
  defined.sort((a, b) => compareBig(a[0], b[0]));
  for (const [name, id] of defined) {
    const func = M.funcs.values[id];
    const encoded = (t: Term): string => bytesToHex(encodeTerm(t).bytes);
    const rules = func === undefined ? '' : func.source.map((r) => ` ${encoded(r.lhs)}=${encoded(r.rhs)}`).join('');
    lines.push(`arity ${nameToText(name)} ${M.arity.values[id]}${func === undefined ? '' : ' fun'}${rules}`);
  }
  for (const [name, owner] of [...M.owners].sort((a, b) => compareBig(a[0], b[0]))) lines.push(`owner ${nameToText(name)} ${owner}`);
  for (const [name, pos] of [...M.index].sort((a, b) => compareBig(a[0], b[0]))) lines.push(`index ${nameToText(name)} ${pos}`);
  for (const [pos, hash] of [...M.hashes].sort((a, b) => compareBig(a[0], b[0]))) lines.push(`hash ${pos} ${bytesToHex(hash)}`);

  // Stored states: discover their nodes in a canonical order, then print them.
  const states = [...M.disk].sort((a, b) => compareBig(big(a[0]), big(b[0])));
  const nodeIds = new Map<number, number>();
  const nodes: Array<[number, number]> = [];
  const visit = (cell: CellValue): void => {
    const todo: CellValue[] = [cell];
    while (todo.length > 0) {
      const c = todo.pop()!;
      const node = nodeOf(M, c);
      if (node === undefined || nodeIds.has(node[0])) continue;
      nodeIds.set(node[0], nodes.length);
      nodes.push(node);
      for (let k = node[1] - 1; k >= 0; k--) {
        const child = M.cellAt(node[0] + k);
        if ((child.w0 & TAG_MASK) !== ARG) todo.push(child);
      }
    }
  };
  for (const [, cell] of states) visit(cell);
  const owner = new Map<number, string>();
  nodes.forEach(([loc, size], id) => { for (let k = 0; k < size; k++) owner.set(loc + k, `${id}.${k}`); });
  const showCell = (c: CellValue): string => {
    const tag = c.w0 & TAG_MASK;
    if (c.w0 === 0xffffffff && c.w1 === 0xffffffff) return 'TAKEN';
    switch (tag) {
      case NUM: return `#${numberOfWords(c.w0, c.w1, c.w2, c.w3)}`;
      case ARG: return `ARG:${owner.get(c.w1) ?? '?'}`;
      case CTR: case FUN: return `${tag}:${nameToText(M.names.nameOf(c.w2))}:${nodeIds.get(c.w1) ?? '-'}`;
      default: return `${tag}:${c.w2}:${nodeIds.get(c.w1) ?? '-'}`;
    }
  };
  for (const [key, cell] of states) lines.push(`state ${key} ${showCell(cell)}`);
  nodes.forEach(([loc, size], id) => {
    const cells: string[] = [];
    for (let k = 0; k < size; k++) cells.push(showCell(M.cellAt(loc + k)));
    lines.push(`node ${id} ${cells.join(' ')}`);
  });
  return bytesToHex(keccak256(new TextEncoder().encode(lines.join('\n'))));
}
