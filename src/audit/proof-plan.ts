import { EMPTY_ROOT, nodeHash } from './hashes.js';

/** A complete (perfect) subtree: 2^level leaves starting at leaf index × 2^level. */
export interface NodeRef {
  level: number;
  index: number;
}

/** Leaves [lo, hi) of the tree, whose RFC 6962 hash MTH(D[lo:hi]) a proof carries. */
export interface LeafRange {
  lo: number;
  hi: number;
}

/** Reads the stored hash of a complete subtree. */
export type NodeReader = (level: number, index: number) => Uint8Array;

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The ranges whose hashes make the audit path of leaf `index` in a tree of `size` (RFC 6962 PATH), leaf first. */
export function inclusionPlan(index: number, size: number): LeafRange[] {
  const path: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index - lo < k) {
      path.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      path.push({ lo, hi: lo + k });
      lo += k;
    }
  }
  return path.reverse();
}

/** The ranges of a consistency proof from `from` to `to` leaves (RFC 6962 SUBPROOF), 0 < from ≤ to. */
export function consistencyPlan(from: number, to: number): LeafRange[] {
  const path: LeafRange[] = [];
  if (from === to) return path;
  let lo = 0;
  let hi = to;
  let m = from;
  let whole = true;
  for (;;) {
    const size = hi - lo;
    if (m === size) {
      if (!whole) path.push({ lo, hi });
      break;
    }
    const k = splitPoint(size);
    if (m <= k) {
      path.push({ lo: lo + k, hi });
      hi = lo + k;
    } else {
      path.push({ lo, hi: lo + k });
      lo += k;
      m -= k;
      whole = false;
    }
  }
  return path.reverse();
}

/**
 * The complete subtrees that make up a range, left to right. In RFC 6962 trees every range a
 * proof names starts at a multiple of a power of two at least its size, so this is the binary
 * decomposition of its size: O(log n) nodes.
 */
export function perfectNodes(range: LeafRange): NodeRef[] {
  const nodes: NodeRef[] = [];
  let lo = range.lo;
  while (lo < range.hi) {
    let width = 1;
    let level = 0;
    while (lo % (width * 2) === 0 && lo + width * 2 <= range.hi) {
      width *= 2;
      level++;
    }
    nodes.push({ level, index: lo / width });
    lo += width;
  }
  return nodes;
}

/** The distinct complete subtrees that a list of ranges needs. */
export function nodesOfRanges(ranges: LeafRange[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const range of ranges) {
    for (const node of perfectNodes(range)) seen.set(`${node.level}:${node.index}`, node);
  }
  return [...seen.values()];
}

/** MTH(D[lo:hi]) from the hashes of its complete subtrees, folded right to left. */
export function rangeHash(range: LeafRange, read: NodeReader): Buffer {
  const nodes = perfectNodes(range);
  if (nodes.length === 0) return EMPTY_ROOT;
  let hash: Buffer = Buffer.from(read(nodes.at(-1)!.level, nodes.at(-1)!.index));
  for (let i = nodes.length - 2; i >= 0; i--) hash = nodeHash(read(nodes[i]!.level, nodes[i]!.index), hash);
  return hash;
}
