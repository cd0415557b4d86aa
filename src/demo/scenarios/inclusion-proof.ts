import { createHash } from 'node:crypto';

const node = (left: Buffer, right: Buffer) =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();

/**
 * Recomputes a Merkle tree head from a leaf hash and its RFC 6962 audit path (RFC 9162
 * §2.1.3.2), so that whoever holds the signed checkpoint can check an entry is in the log.
 */
export function rootFromInclusionProof(
  index: number,
  treeSize: number,
  leafHash: Buffer,
  path: Buffer[],
): Buffer | null {
  if (index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}
