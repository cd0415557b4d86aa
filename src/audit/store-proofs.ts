import { type Kysely, sql } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { asBuffer } from './hashes.js';
import {
  consistencyPlan,
  inclusionPlan,
  type LeafRange,
  type NodeRef,
  nodesOfRanges,
  rangeHash,
} from './proof-plan.js';

/** Proof that an entry is in the tree of a given size. */
export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: Buffer;
  /** The audit path, leaf end first. */
  path: Buffer[];
}

/** Proof that the tree of `from` leaves is a prefix of the tree of `to` leaves. */
export interface ConsistencyProof {
  from: number;
  to: number;
  path: Buffer[];
}

/** Reads the given complete subtrees in one query; a missing one means the store is damaged. */
async function readNodes(db: Kysely<Database>, refs: NodeRef[]) {
  const leaves = refs.filter((r) => r.level === 0).map((r) => r.index);
  const inner = refs.filter((r) => r.level > 0);
  const { rows } = await sql<{ level: number; idx: number; hash: Uint8Array }>`
    SELECT 0 AS level, idx, leaf_hash AS hash FROM audit_entries WHERE idx = ANY(${leaves}::int8[])
    UNION ALL
    SELECT n.level, n.idx, n.hash FROM audit_nodes n
    JOIN unnest(${inner.map((r) => r.level)}::int2[], ${inner.map((r) => r.index)}::int8[]) AS r(level, idx)
      ON n.level = r.level AND n.idx = r.idx`.execute(db);
  const found = new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, asBuffer(r.hash)]));
  return (level: number, index: number): Buffer => {
    const hash = found.get(`${level}:${index}`);
    // A complete subtree exists once all its leaves do, so a missing one means the size asked for
    // is beyond the log (no head read needed to tell).
    if (!hash) throw new BadRequestError('invalid_tree_size', 'the tree size is beyond the log');
    return hash;
  };
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new BadRequestError('invalid_tree_size', 'tree size must be at least 1');
}

async function hashRanges(db: Kysely<Database>, ranges: LeafRange[], extra: NodeRef[] = []) {
  const read = await readNodes(db, [...extra, ...nodesOfRanges(ranges)]);
  return { read, hashes: ranges.map((r) => rangeHash(r, read)) };
}

/** The inclusion proof of entry `index` in the tree of `treeSize` entries, from O(log n) stored hashes. */
export async function inclusionProof(
  db: Kysely<Database>,
  index: number,
  treeSize: number,
): Promise<InclusionProof> {
  checkSize(treeSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new BadRequestError('invalid_leaf_index', `entry ${index} is not in a tree of ${treeSize}`);
  }
  const { read, hashes } = await hashRanges(db, inclusionPlan(index, treeSize), [{ level: 0, index }]);
  return { index, treeSize, leafHash: read(0, index), path: hashes };
}

/** The consistency proof between the trees of `from` and `to` entries (0 < from ≤ to ≤ size). */
export async function consistencyProof(
  db: Kysely<Database>,
  from: number,
  to: number,
): Promise<ConsistencyProof> {
  checkSize(to);
  if (!Number.isSafeInteger(from) || from < 1 || from > to) {
    throw new BadRequestError('invalid_tree_size', `no consistency proof from ${from} to ${to}`);
  }
  return { from, to, path: (await hashRanges(db, consistencyPlan(from, to))).hashes };
}

/** The root hash of the tree's first `treeSize` entries. */
export async function rootAt(db: Kysely<Database>, treeSize: number): Promise<Buffer> {
  checkSize(treeSize);
  const range = { lo: 0, hi: treeSize };
  const { read } = await hashRanges(db, [], nodesOfRanges([range]));
  return rangeHash(range, read);
}
