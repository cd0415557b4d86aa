import { prf, subKey, unit } from './prf.js';

/**
 * A symmetric Tardos code (Tardos 2003; Škorić et al. 2008's symmetric score). Each code
 * position i has a secret bias p_i drawn from the arcsine density cut to [t, 1 − t]; a
 * recipient's bit at i is 1 with probability p_i, drawn by a PRF of the platform secret, the
 * resource and the recipient, so codewords are never stored. Colluders who combine copies can
 * only output, at a position where they all agree, the bit they share (the marking assumption);
 * the score below then grows for each of them and stays centred for everyone else.
 */

/** Code positions per resource: every (row key, column) cell maps to one of them. */
export const CODE_LENGTH = 8192;
/** The bias cut-off t: it bounds each score term by √((1 − t)/t) = 7. */
export const CUTOFF = 0.02;
/** The largest magnitude of one position's score term. */
export const TERM_BOUND = Math.sqrt((1 - CUTOFF) / CUTOFF);

const R_LOW = Math.asin(Math.sqrt(CUTOFF));
const R_HIGH = Math.PI / 2 - R_LOW;

/** The code of one resource: its biases, and each recipient's codeword, from the secret. */
export class TardosCode {
  private readonly biases = new Float64Array(CODE_LENGTH);
  private readonly bitKey: Buffer;

  constructor(secret: Buffer, resourceId: string) {
    const biasKey = subKey(secret, 'bias', resourceId);
    for (let block = 0; block < CODE_LENGTH / 4; block++) {
      const d = prf(biasKey, String(block));
      for (let j = 0; j < 4; j++) {
        const r = R_LOW + unit(d, j * 8) * (R_HIGH - R_LOW);
        this.biases[block * 4 + j] = Math.sin(r) ** 2;
      }
    }
    this.bitKey = subKey(secret, 'codeword', resourceId);
  }

  /** The bias p_i of a position. */
  bias(position: number): number {
    return this.biases[position]!;
  }

  /** A recipient's whole codeword (one byte per position, 0 or 1). */
  codeword(recipient: string): Uint8Array {
    const key = prf(this.bitKey, recipient);
    const word = new Uint8Array(CODE_LENGTH);
    for (let block = 0; block < CODE_LENGTH / 4; block++) {
      const d = prf(key, String(block));
      for (let j = 0; j < 4; j++) {
        const i = block * 4 + j;
        word[i] = unit(d, j * 8) < this.biases[i]! ? 1 : 0;
      }
    }
    return word;
  }
}

/**
 * The symmetric accusation term of one position: positive when the recipient's bit agrees with
 * the leaked one (more so for a rare bit), negative otherwise. For an innocent recipient (bit
 * independent of the leak) it has mean 0 and variance 1.
 */
export function scoreTerm(bit: number, leaked: number, p: number): number {
  if (leaked === 1) return bit === 1 ? Math.sqrt((1 - p) / p) : -Math.sqrt(p / (1 - p));
  return bit === 0 ? Math.sqrt(p / (1 - p)) : -Math.sqrt((1 - p) / p);
}

/**
 * An upper bound on the probability that an innocent recipient scores at least `score` over
 * `positions` observed positions: Bernstein's inequality for a sum of independent, centred terms
 * of variance 1 bounded by TERM_BOUND. It needs no assumption on the data, only on the PRF.
 */
export function innocentTail(score: number, positions: number): number {
  if (positions === 0 || score <= 0) return 1;
  return Math.min(1, Math.exp(-(score * score) / 2 / (positions + (TERM_BOUND * score) / 3)));
}

/** The least score whose innocent tail is at most `epsilon` (solves Bernstein's bound for s). */
export function accusationThreshold(positions: number, epsilon: number): number {
  const l = Math.log(1 / epsilon);
  // s² / 2 = l (m + b s / 3)  ⇒  s = (2lb/3 + √((2lb/3)² + 8 l m)) / 2
  const a = (2 * l * TERM_BOUND) / 3;
  return (a + Math.sqrt(a * a + 8 * l * positions)) / 2;
}
