import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The name of the credentials key file inside the data directory. */
export const SECRET_KEY_FILE = 'secret.key';

/** Parses a 32-byte key written as base64 (or base64url) or as 64 hex digits. */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32)
    throw new Error(
      'HUITONG_SECRET_KEY must be 32 bytes, as base64 or 64 hex digits (openssl rand -base64 32)',
    );
  return key;
}

/**
 * The key that encrypts source credentials: HUITONG_SECRET_KEY when set, else
 * `<dataDir>/secret.key`, generated with mode 0600 on first use. The file is written whole under a
 * temporary name and hard-linked into place, which fails if another process won the race, so
 * every process agrees on one key and none reads a half-written file. Losing it loses every stored password.
 */
export async function loadOrCreateSecretKey(dataDir: string, fromEnv?: string): Promise<Buffer> {
  if (fromEnv) return parseSecretKey(fromEnv);
  const path = join(dataDir, SECRET_KEY_FILE);
  try {
    return parseSecretKey(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return parseSecretKey(await readFile(path, 'utf8'));
}
