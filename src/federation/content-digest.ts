import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary, serializeDictionary } from 'structured-headers';

const sha256 = (body: Uint8Array) => createHash('sha256').update(body).digest();
const arrayBufferOf = (bytes: Buffer): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** The `Content-Digest` field (RFC 9530) of a body: `sha-256=:<base64>:`. */
export function contentDigest(body: Uint8Array): string {
  return serializeDictionary(new Map([['sha-256', [arrayBufferOf(sha256(body)), new Map()]]]));
}

/** Whether a `Content-Digest` field holds the body's SHA-256 (other algorithms are not trusted). */
export function digestMatches(field: string | undefined, body: Uint8Array): boolean {
  if (!field) return false;
  let parsed: ReturnType<typeof parseDictionary>;
  try {
    parsed = parseDictionary(field);
  } catch {
    return false;
  }
  const entry = parsed.get('sha-256');
  if (!entry || !(entry[0] instanceof ArrayBuffer)) return false;
  const claimed = Buffer.from(entry[0]);
  const actual = sha256(body);
  return claimed.length === actual.length && timingSafeEqual(claimed, actual);
}
