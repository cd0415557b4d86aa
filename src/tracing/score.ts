import { CellLocator } from './mark.js';
import { accusationThreshold, innocentTail, scoreTerm, TardosCode } from './tardos.js';
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
  const votes = new Map<number, number>();
  for (const o of observations) {
    const bit = readBit(o.value, o.tolerance);
    if (bit === null) continue;
    const { position, pad } = locator.locate(o.rowKey, o.item);
    votes.set(position, (votes.get(position) ?? 0) + ((bit ^ pad) === 1 ? 1 : -1));
  }
  const bits = new Map<number, number>();
  // A tie (colluders who disagree, equally often) says nothing: the position is left out.
  for (const [position, v] of votes) if (v !== 0) bits.set(position, v > 0 ? 1 : 0);
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
  const code = new TardosCode(secret, resourceId);
  const positions = bits.size;
  const threshold = accusationThreshold(positions, epsilon / Math.max(1, candidates.length));
  const accusations = candidates.map((recipient) => {
    const word = code.codeword(recipient);
    let score = 0;
    for (const [i, y] of bits) score += scoreTerm(word[i]!, y, code.bias(i));
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
