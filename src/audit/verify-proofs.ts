import { HASH_SIZE, nodeHash } from './hashes.js';

const isHash = (h: Uint8Array) => h.length === HASH_SIZE;
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const isPowerOfTwo = (n: number) => {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
};

/** The root implied by a leaf hash and its audit path (RFC 9162 §2.1.3.2), or undefined if the path is malformed. */
export function rootFromInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Buffer | undefined {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size || !isHash(leaf)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0 || !isHash(p)) return undefined;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/** Whether `path` proves that `leaf` is leaf `index` of the tree of `size` leaves with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusion(index, size, leaf, path);
  return computed !== undefined && isHash(root) && same(computed, root);
}

/** Whether `path` proves the tree of `to` leaves with `toRoot` extends the one of `from` leaves with `fromRoot` (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!isHash(fromRoot) || !isHash(toRoot) || path.some((p) => !isHash(p))) return false;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to) return false;
  if (from === to) return path.length === 0 && same(fromRoot, toRoot);
  if (path.length === 0) return false;
  const proof = isPowerOfTwo(from) ? [fromRoot, ...path] : [...path];
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(proof[0]!);
  let sr: Buffer = Buffer.from(proof[0]!);
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return same(fr, fromRoot) && same(sr, toRoot) && sn === 0;
}
