import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './hashes.js';

/** A stored complete subtree. */
export interface TreeNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The right edge of a tree of `size` leaves: the hashes of its maximal complete subtrees, left
 * (largest) to right, one per set bit of `size`. It is all an appender needs to extend the tree.
 */
export interface Frontier {
  size: number;
  hashes: Buffer[];
}

/** Appends leaf hashes; returns every complete subtree they close (levels 0 and up) and the new frontier. */
export function extendFrontier(
  frontier: Frontier,
  leaves: readonly Buffer[],
): { nodes: TreeNode[]; frontier: Frontier } {
  const hashes = [...frontier.hashes];
  const nodes: TreeNode[] = [];
  let size = frontier.size;
  for (const leaf of leaves) {
    let hash = leaf;
    let index = size;
    nodes.push({ level: 0, index, hash });
    // Each trailing 1-bit of the old size is a subtree of equal height that the new one completes.
    for (let level = 1, n = size; n % 2 === 1; level++, n = Math.floor(n / 2)) {
      hash = nodeHash(hashes.pop()!, hash);
      index = Math.floor(index / 2);
      nodes.push({ level, index, hash });
    }
    hashes.push(hash);
    size++;
  }
  return { nodes, frontier: { size, hashes } };
}

/** The root hash of the tree that a frontier ends. */
export function frontierRoot(frontier: Frontier): Buffer {
  const { hashes } = frontier;
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes.at(-1)!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

/** Packs a frontier's hashes into one byte string for the head row. */
export function packFrontier(hashes: readonly Buffer[]): Buffer {
  return Buffer.concat(hashes);
}

/** Unpacks the head row's frontier, checking that it has one hash per set bit of `size`. */
export function unpackFrontier(size: number, packed: Uint8Array): Frontier {
  const hashes: Buffer[] = [];
  for (let at = 0; at < packed.length; at += HASH_SIZE)
    hashes.push(Buffer.from(packed.subarray(at, at + HASH_SIZE)));
  let bits = 0;
  for (let n = size; n > 0; n = Math.floor(n / 2)) bits += n % 2;
  if (bits !== hashes.length || packed.length % HASH_SIZE !== 0) {
    throw new Error(`audit head is corrupt: ${hashes.length} frontier hashes for a tree of ${size}`);
  }
  return { size, hashes };
}
