import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type SourceSecret, SourceSecretSchema } from './source-config.js';

const VERSION = 'v1';

/**
 * Seals text with AES-256-GCM under the platform's credentials key: `v1.<iv>.<tag>.<ciphertext>`
 * in base64url. `boundTo` is the additional authenticated data — the row the value belongs to —
 * so a ciphertext copied onto another row fails to open instead of lending its value there.
 */
export function sealText(key: Buffer, boundTo: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens what `sealText` made; a wrong key, another row's value or a tampered one throws. */
export function openSealedText(key: Buffer, boundTo: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Encrypts a source's credentials: sealed with the source id as additional authenticated data,
 * so a ciphertext copied onto another source's row fails to decrypt instead of lending its password there.
 */
export function encryptSecret(key: Buffer, sourceId: string, secret: SourceSecret): string {
  return sealText(key, sourceId, JSON.stringify(secret));
}

/** Decrypts what `encryptSecret` made; a wrong key or a tampered value throws. */
export function decryptSecret(key: Buffer, sourceId: string, sealed: string): SourceSecret {
  return SourceSecretSchema.parse(JSON.parse(openSealedText(key, sourceId, sealed)));
}
