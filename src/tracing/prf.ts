import { createHmac } from 'node:crypto';

/**
 * The keyed pseudo-random functions behind the marks (HMAC-SHA-256). Every choice a mark makes —
 * which code position a cell carries, the pad that hides its bit, each position's bias and each
 * recipient's codeword — is one of these, so a tracer holding the same secret re-derives them
 * all without anything stored per delivery.
 */

/** HMAC-SHA-256 of the parts (joined by a separator that cannot occur in them unescaped). */
export function prf(key: Buffer, ...parts: readonly string[]): Buffer {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(`${part.length}:${part}|`, 'utf8');
  return h.digest();
}

/** A uniform number in [0, 1) from the first 6 bytes of a PRF output. */
export const unit = (digest: Buffer, at = 0): number => digest.readUIntBE(at, 6) / 2 ** 48;

/** A sub-key for one purpose, so that no two uses share a key. */
export const subKey = (secret: Buffer, purpose: string, ...parts: readonly string[]): Buffer =>
  prf(secret, `huitong-trace:${purpose}`, ...parts);
