import { describe, expect, it } from 'vitest';
import { extendFrontier, type Frontier, frontierRoot } from './frontier.js';
import { EMPTY_ROOT, leafHash, nodeHash } from './hashes.js';
import { MemoryTree } from './memory-tree.js';
import { rootFromInclusion, verifyConsistency, verifyInclusion } from './verify-proofs.js';

const hex = (s: string) => Buffer.from(s, 'hex');
// The RFC 6962 test tree (formats.md §2).
const RFC_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];

/** MTH straight from the RFC's recursive definition, to check the stored-subtree arithmetic against. */
function naiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

function treeOf(n: number): { tree: MemoryTree; leaves: Buffer[] } {
  const tree = new MemoryTree();
  const leaves: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const leaf = leafHash(Buffer.from(`entry ${i}`));
    leaves.push(leaf);
    tree.append(leaf);
  }
  return { tree, leaves };
}

describe('merkle tree', () => {
  it('reproduces the RFC 6962 test tree roots', () => {
    const tree = new MemoryTree();
    expect(tree.root().toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    for (const l of RFC_LEAVES) tree.append(leafHash(hex(l)));
    expect(tree.root(1).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(tree.root(8).toString('hex')).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
  });

  it('agrees with the recursive definition and the frontier for every size up to 70', () => {
    const { tree, leaves } = treeOf(70);
    let frontier: Frontier = { size: 0, hashes: [] };
    for (let n = 0; n <= 70; n++) {
      expect(tree.root(n)).toEqual(naiveRoot(leaves.slice(0, n)));
      expect(frontierRoot(frontier)).toEqual(tree.root(n));
      if (n < 70) {
        const step = extendFrontier(frontier, [leaves[n]!]);
        for (const node of step.nodes) expect(node.hash).toEqual(tree.node(node.level, node.index));
        frontier = step.frontier;
      }
    }
  });

  it('makes inclusion proofs that verify, and only for the right leaf, for all sizes ≤ 40', () => {
    const { tree, leaves } = treeOf(40);
    for (let size = 1; size <= 40; size++) {
      const root = tree.root(size);
      for (let i = 0; i < size; i++) {
        const proof = tree.inclusionProof(i, size);
        expect(verifyInclusion(i, size, leaves[i]!, proof, root)).toBe(true);
        expect(verifyInclusion(i, size, leaves[(i + 1) % 40]!, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion((i + 1) % size, size, leaves[i]!, proof, root)).toBe(false);
        if (proof.length > 0) {
          const bad = proof.map((p, j) => (j === 0 ? nodeHash(p, p) : p));
          expect(verifyInclusion(i, size, leaves[i]!, bad, root)).toBe(false);
          expect(verifyInclusion(i, size, leaves[i]!, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(i, size, leaves[i]!, [...proof, root], root)).toBe(false);
      }
    }
    expect(rootFromInclusion(3, 3, leaves[0]!, [])).toBeUndefined();
  });

  it('makes consistency proofs that verify, and fail when altered, for all pairs ≤ 40', () => {
    const { tree } = treeOf(40);
    for (let to = 1; to <= 40; to++) {
      for (let from = 1; from <= to; from++) {
        const proof = tree.consistencyProof(from, to);
        const [a, b] = [tree.root(from), tree.root(to)];
        expect(verifyConsistency(from, to, a, b, proof)).toBe(true);
        if (from < to) {
          expect(verifyConsistency(from, to, b, b, proof)).toBe(from === to);
          expect(verifyConsistency(from, to, a, nodeHash(b, b), proof)).toBe(false);
          expect(verifyConsistency(from, to, a, b, proof.slice(0, -1))).toBe(false);
          if (to < 40) expect(verifyConsistency(from, to + 1, a, tree.root(to + 1), proof)).toBe(false);
        }
      }
    }
  });

  it('applies the transparency-dev edge cases', () => {
    const { tree } = treeOf(4);
    const r = tree.root(4);
    expect(verifyConsistency(0, 4, EMPTY_ROOT, r, [])).toBe(false);
    expect(verifyConsistency(4, 2, r, tree.root(2), [])).toBe(false);
    expect(verifyConsistency(4, 4, r, r, [])).toBe(true);
    expect(verifyConsistency(4, 4, r, r, [r])).toBe(false);
    expect(verifyInclusion(0, 4, Buffer.alloc(31), tree.inclusionProof(0, 4), r)).toBe(false);
  });
});
