import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './credentials.js';
import { loadOrCreateSecretKey, parseSecretKey } from './secret-key.js';

describe('credentials at rest', () => {
  it('round-trips through AES-256-GCM and never holds the plain text', () => {
    const key = randomBytes(32);
    const id = randomUUID();
    const sealed = encryptSecret(key, id, { password: '口令-secret-123' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('secret');
    expect(decryptSecret(key, id, sealed)).toEqual({ password: '口令-secret-123' });
    expect(encryptSecret(key, id, { password: 'x' })).not.toBe(encryptSecret(key, id, { password: 'x' }));
  });

  it('refuses a wrong key, another source id and a tampered value', () => {
    const key = randomBytes(32);
    const id = randomUUID();
    const sealed = encryptSecret(key, id, { password: 'p' });
    expect(() => decryptSecret(randomBytes(32), id, sealed)).toThrow();
    expect(() => decryptSecret(key, randomUUID(), sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(key, id, parts.join('.'))).toThrow();
  });

  it('reads HUITONG_SECRET_KEY as base64 or hex and refuses other lengths', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('generates the key file once, with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitong-key-'));
    try {
      const [a, b] = await Promise.all([loadOrCreateSecretKey(dir), loadOrCreateSecretKey(dir)]);
      expect(a).toEqual(b);
      expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect(parseSecretKey(await readFile(join(dir, 'secret.key'), 'utf8'))).toEqual(a);
      const fromEnv = randomBytes(32);
      expect(await loadOrCreateSecretKey(dir, fromEnv.toString('base64'))).toEqual(fromEnv);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
