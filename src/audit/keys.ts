import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rawPublicKey } from './ed25519.js';
import { ed25519Signer, type NoteSigner, vkeyOf } from './note.js';

/** The name of the log's key file inside the data directory. */
export const KEY_FILE = 'audit-ed25519.key';

/** The log's signing key and what others need to check its signatures. */
export interface AuditKey {
  signer: NoteSigner;
  publicKey: Buffer;
  /** `<name>+<key id>+<base64 key>`: give this to verifiers. */
  vkey: string;
}

/** Wraps an Ed25519 private key as the log's key under `name` (the origin). */
export function auditKeyFrom(name: string, privateKey: KeyObject): AuditKey {
  const publicKey = rawPublicKey(privateKey);
  return { signer: ed25519Signer(name, privateKey), publicKey, vkey: vkeyOf(name, publicKey) };
}

async function readKey(path: string): Promise<KeyObject | undefined> {
  try {
    return createPrivateKey(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Loads `<dataDir>/audit-ed25519.key` (PKCS#8 PEM) or, on first use, generates it with mode 0600.
 * Creation is exclusive, so two processes starting together end up with the same key.
 */
export async function loadOrCreateAuditKey(dataDir: string, name: string): Promise<AuditKey> {
  return auditKeyFrom(name, await loadOrCreateEd25519Key(dataDir, KEY_FILE));
}

/**
 * Loads an Ed25519 private key file (PKCS#8 PEM) from the data directory or, on first use,
 * generates it with mode 0600; exclusive creation, so concurrent first starts agree on one key.
 */
export async function loadOrCreateEd25519Key(dataDir: string, file: string): Promise<KeyObject> {
  const path = join(dataDir, file);
  const existing = await readKey(path);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  try {
    await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600); // the umask may have narrowed it further, never widened; make it exact
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process won the race; its file may still be being written.
    for (let attempt = 0; ; attempt++) {
      const winner = await readKey(path).catch((e) => (attempt < 5 ? undefined : Promise.reject(e)));
      if (winner) return winner;
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return privateKey;
}
