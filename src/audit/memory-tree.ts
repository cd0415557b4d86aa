import { HASH_SIZE, nodeHash } from './hashes.js';
import { consistencyPlan, inclusionPlan, type NodeReader, rangeHash } from './proof-plan.js';

/**
 * A whole Merkle tree in memory: every complete subtree's hash, one contiguous buffer per
 * level (~64 bytes per leaf). The verifier rebuilds the log in one of these; tests and
 * offline tools use it to make proofs without a store.
 */
export class MemoryTree {
  private levels: Buffer[] = [];
  private counts: number[] = [];
  private leaves = 0;

  /** How many leaves the tree holds. */
  get size(): number {
    return this.leaves;
  }

  /** Appends a leaf hash and the complete subtrees it closes. */
  append(leaf: Uint8Array): void {
    let hash: Uint8Array = leaf;
    let index = this.leaves;
    for (let level = 0; ; level++) {
      this.put(level, index, hash);
      if (index % 2 === 0) break;
      hash = nodeHash(this.node(level, index - 1), hash);
      index = (index - 1) / 2;
    }
    this.leaves++;
  }

  /** The hash of complete subtree `index` at `level`. */
  node(level: number, index: number): Buffer {
    if (index >= (this.counts[level] ?? 0)) throw new RangeError(`no node ${level}/${index}`);
    const start = index * HASH_SIZE;
    return this.levels[level]!.subarray(start, start + HASH_SIZE);
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Buffer {
    return this.node(0, index);
  }

  /** The root of the tree's first `size` leaves. */
  root(size = this.leaves): Buffer {
    this.checkSize(size);
    return rangeHash({ lo: 0, hi: size }, this.reader);
  }

  /** The audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.leaves): Buffer[] {
    this.checkSize(size);
    if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
    return inclusionPlan(index, size).map((r) => rangeHash(r, this.reader));
  }

  /** The consistency proof from the tree of `from` leaves to the one of `to` leaves. */
  consistencyProof(from: number, to = this.leaves): Buffer[] {
    this.checkSize(to);
    if (from < 1 || from > to) throw new RangeError(`no consistency proof from ${from} to ${to}`);
    return consistencyPlan(from, to).map((r) => rangeHash(r, this.reader));
  }

  private readonly reader: NodeReader = (level, index) => this.node(level, index);

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.leaves) {
      throw new RangeError(`tree size ${size} is beyond ${this.leaves}`);
    }
  }

  private put(level: number, index: number, hash: Uint8Array): void {
    let buffer = this.levels[level];
    if (!buffer || (index + 1) * HASH_SIZE > buffer.length) {
      const grown = Buffer.alloc(Math.max(HASH_SIZE * 1024, (buffer?.length ?? 0) * 2));
      if (buffer) buffer.copy(grown);
      buffer = grown;
      this.levels[level] = buffer;
    }
    buffer.set(hash, index * HASH_SIZE);
    this.counts[level] = index + 1;
  }
}
