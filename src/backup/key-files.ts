import { createHmac } from 'node:crypto';

// The key files of the data directory. The credentials key's name and encoding are the sources
// module's (SECRET_KEY_FILE, parseSecretKey; a test holds them equal): only query/ imports sources/.
/** The audit log's Ed25519 key file (audit/KEY_FILE). */
export { KEY_FILE as AUDIT_KEY_FILE } from '../audit/index.js';
/** The key that seals source credentials, when HUITONG_SECRET_KEY does not give it. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * A check value of a credentials key (as HUITONG_SECRET_KEY gives it: base64 or hex): tells a
 * restore whether the key it is given is the one the backup's credentials were sealed with,
 * without putting the key in the archive.
 */
export function secretKeyCheck(keyText: string): string {
  const value = keyText.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return createHmac('sha256', key).update('huitong-backup key check').digest('hex');
}
