import { createHash, createHmac } from 'node:crypto';
import { PrivacyError } from './errors.js';

/** A key for the keyed-hash mask: bytes, or a string taken as its UTF-8 bytes. */
export type HmacKey = string | Uint8Array;

function keyBytes(key: HmacKey | undefined): Buffer {
  if (key === undefined || key.length === 0)
    throw new PrivacyError('missing_hmac_key', 'the hmac mask needs a key');
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
}

/** HMAC-SHA-256 of the UTF-8 text under `key`, lower-case hex. */
export function hmacHex(key: HmacKey | undefined, text: string): string {
  return createHmac('sha256', keyBytes(key)).update(text, 'utf8').digest('hex');
}

/**
 * The RFC 2104 inner and outer pads (K ⊕ ipad, K ⊕ opad) as hex, so that SQL can compute
 * HMAC(K, m) = H(opadKey ‖ H(ipadKey ‖ m)) with nothing but SHA-256.
 */
export function hmacPads(key: HmacKey | undefined): { inner: string; outer: string } {
  let k = keyBytes(key);
  if (k.length > 64) k = createHash('sha256').update(k).digest();
  const inner = Buffer.alloc(64, 0x36);
  const outer = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < k.length; i++) {
    inner[i]! ^= k[i]!;
    outer[i]! ^= k[i]!;
  }
  return { inner: inner.toString('hex'), outer: outer.toString('hex') };
}
