import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type SourceSecret, SourceSecretSchema } from './source-config.js';

const VERSION = 'v1';

/**
 * Encrypts a source's credentials with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 * The source id is the additional authenticated data, so a ciphertext copied onto another
 * source's row fails to decrypt instead of lending its password there.
 */
export function encryptSecret(key: Buffer, sourceId: string, secret: SourceSecret): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sourceId));
  const body = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Decrypts what `encryptSecret` made; a wrong key or a tampered value throws. */
export function decryptSecret(key: Buffer, sourceId: string, sealed: string): SourceSecret {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown credentials format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(sourceId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
  return SourceSecretSchema.parse(JSON.parse(text));
}
