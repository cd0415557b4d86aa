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

/** Codes kept per process (one per resource traced or marked lately), and codewords per code. */
const CODES_KEPT = 8;
const WORDS_KEPT = 8192;
const codes = new Map<string, TardosCode>();

/** The code of one resource: its biases, and each recipient's codeword, from the secret. */
export class TardosCode {
  private readonly biases = new Float64Array(CODE_LENGTH);
  private readonly bitKey: Buffer;
  /** Codewords derived so far, bit-packed (position i is bit i & 7 of byte i >> 3), oldest first. */
  private readonly words = new Map<string, Uint8Array>();

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

  /**
   * The code of a resource, shared within the process: deriving a codeword takes 2,049 HMACs, so
   * a trace scoring a thousand recipients, or a delivery after many others, reuses the ones
   * already derived (the code is a function of the secret and the resource alone).
   */
  static of(secret: Buffer, resourceId: string): TardosCode {
    // Keyed by a derived key, not the secret itself.
    const id = subKey(secret, 'code-cache', resourceId).toString('base64');
    let code = codes.get(id);
    if (code) codes.delete(id);
    else code = new TardosCode(secret, resourceId);
    codes.set(id, code);
    if (codes.size > CODES_KEPT) codes.delete(codes.keys().next().value!);
    return code;
  }

  /** The bias p_i of a position. */
  bias(position: number): number {
    return this.biases[position]!;
  }

  /** A recipient's whole codeword (one byte per position, 0 or 1). */
  codeword(recipient: string): Uint8Array {
    const packed = this.packed(recipient);
    const word = new Uint8Array(CODE_LENGTH);
    for (let i = 0; i < CODE_LENGTH; i++) word[i] = (packed[i >>> 3]! >>> (i & 7)) & 1;
    return word;
  }

  /** A recipient's codeword, bit-packed (bit i & 7 of byte i >> 3); shared, so not to be changed. */
  packed(recipient: string): Uint8Array {
    let packed = this.words.get(recipient);
    if (packed) return packed;
    packed = new Uint8Array(CODE_LENGTH / 8);
    const key = prf(this.bitKey, recipient);
    for (let block = 0; block < CODE_LENGTH / 4; block++) {
      const d = prf(key, String(block));
      for (let j = 0; j < 4; j++) {
        const i = block * 4 + j;
        if (unit(d, j * 8) < this.biases[i]!) packed[i >>> 3] = packed[i >>> 3]! | (1 << (i & 7));
      }
    }
    this.words.set(recipient, packed);
    if (this.words.size > WORDS_KEPT) this.words.delete(this.words.keys().next().value!);
    return packed;
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
