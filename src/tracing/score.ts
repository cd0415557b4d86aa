import { CellLocator } from './mark.js';
import { accusationThreshold, CODE_LENGTH, innocentTail, scoreTerm, TardosCode } from './tardos.js';
import { readBit, type Tolerance } from './values.js';

/** One leaked cell of a tolerant column: its row's key, its item and its value as leaked. */
export interface Observation {
  rowKey: string;
  item: string;
  value: unknown;
  tolerance: Tolerance;
}

/** The leaked bit at each observed code position (the majority over the cells mapped there). */
export function leakedBits(
  secret: Buffer,
  resourceId: string,
  observations: Iterable<Observation>,
): Map<number, number> {
  const locator = new CellLocator(secret, resourceId);
  // Votes per position, and the positions in the order first seen (the order of the bits).
  const votes = new Int32Array(CODE_LENGTH);
  const seen = new Uint8Array(CODE_LENGTH);
  const order: number[] = [];
  for (const o of observations) {
    const bit = readBit(o.value, o.tolerance);
    if (bit === null) continue;
    const cell = locator.cell(o.rowKey, o.item);
    const position = cell >>> 1;
    if (!seen[position]) {
      seen[position] = 1;
      order.push(position);
    }
    votes[position] = votes[position]! + ((bit ^ (cell & 1)) === 1 ? 1 : -1);
  }
  const bits = new Map<number, number>();
  // A tie (colluders who disagree, equally often) says nothing: the position is left out.
  for (const position of order) {
    const v = votes[position]!;
    if (v !== 0) bits.set(position, v > 0 ? 1 : 0);
  }
  return bits;
}

/** One recipient's accusation: its score and the chance an innocent one scores as high. */
export interface Accusation {
  recipient: string;
  score: number;
  /** Bernstein's bound on P(an innocent recipient's score ≥ score). */
  innocentProbability: number;
  accused: boolean;
}

/**
 * Scores every candidate against the leaked bits, highest first. `epsilon` is the probability
 * that any innocent candidate is accused: each is held to epsilon / candidates (a union bound).
 */
export function accuse(
  secret: Buffer,
  resourceId: string,
  bits: ReadonlyMap<number, number>,
  candidates: readonly string[],
  epsilon = 1e-6,
): { positions: number; threshold: number; accusations: Accusation[] } {
  const code = TardosCode.of(secret, resourceId);
  const positions = bits.size;
  const threshold = accusationThreshold(positions, epsilon / Math.max(1, candidates.length));
  // Each observed position's term for a 0 and for a 1, once, in the bits' order: a score is then
  // a sum of table entries, added in the same order as term by term (so the very same number).
  const at = new Int32Array(positions);
  // terms[2j + b]: the term of the j-th position for a recipient whose bit there is b.
  const terms = new Float64Array(2 * positions);
  let k = 0;
  for (const [i, y] of bits) {
    at[k] = i;
    terms[2 * k] = scoreTerm(0, y, code.bias(i));
    terms[2 * k + 1] = scoreTerm(1, y, code.bias(i));
    k++;
  }
  const scores = new Float64Array(candidates.length);
  // Four candidates per pass over the positions (the tables are read once for the four); each
  // score is still its own sum, term by term in the bits' order.
  for (let c = 0; c < candidates.length; c += 4) {
    const w0 = code.packed(candidates[c]!);
    const w1 = c + 1 < candidates.length ? code.packed(candidates[c + 1]!) : w0;
    const w2 = c + 2 < candidates.length ? code.packed(candidates[c + 2]!) : w0;
    const w3 = c + 3 < candidates.length ? code.packed(candidates[c + 3]!) : w0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < positions; j++) {
      const i = at[j]!;
      const byte = i >>> 3;
      const shift = i & 7;
      const t = j << 1;
      s0 += terms[t | ((w0[byte]! >>> shift) & 1)]!;
      s1 += terms[t | ((w1[byte]! >>> shift) & 1)]!;
      s2 += terms[t | ((w2[byte]! >>> shift) & 1)]!;
      s3 += terms[t | ((w3[byte]! >>> shift) & 1)]!;
    }
    scores[c] = s0;
    if (c + 1 < candidates.length) scores[c + 1] = s1;
    if (c + 2 < candidates.length) scores[c + 2] = s2;
    if (c + 3 < candidates.length) scores[c + 3] = s3;
  }
  const accusations = candidates.map((recipient, c) => {
    const score = scores[c]!;
    return {
      recipient,
      score,
      innocentProbability: innocentTail(score, positions),
      accused: positions > 0 && score >= threshold,
    };
  });
  accusations.sort((a, b) => b.score - a.score);
  return { positions, threshold, accusations };
}
