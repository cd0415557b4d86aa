import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

/** PostgreSQL's own iteration count for SCRAM-SHA-256 verifiers. */
export const SCRAM_ITERATIONS = 4096;

/** A SCRAM-SHA-256 verifier (base64 fields, as PostgreSQL's own `SCRAM-SHA-256$…` verifiers hold). */
export interface ScramVerifier {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

/** The verifier of a secret under a salt (RFC 5802 §3; the secret is taken as is, without SASLprep). */
export function scramVerifier(secret: string, salt: Buffer, iterations = SCRAM_ITERATIONS): ScramVerifier {
  const salted = pbkdf2Sync(secret, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: createHash('sha256').update(clientKey).digest('base64'),
    serverKey: createHmac('sha256', salted).update('Server Key').digest('base64'),
  };
}

/**
 * The salt of every key of applications of one name: a client names the application, not the
 * key, and the server must send one salt before it knows which key the client holds; the keys
 * then differ by their StoredKey alone. Not secret (SCRAM sends it in clear).
 */
export function applicationSalt(name: string): Buffer {
  return createHash('sha256').update(`huitong scram salt:${name}`).digest().subarray(0, 16);
}

/** Whether a client's proof (base64) was made from the secret behind `storedKey` (RFC 5802 §3). */
export function scramProofMatches(storedKey: string, authMessage: string, clientProof: string): boolean {
  const stored = Buffer.from(storedKey, 'base64');
  const proof = Buffer.from(clientProof, 'base64');
  const signature = createHmac('sha256', stored).update(authMessage).digest();
  if (proof.length !== signature.length) return false;
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
  return timingSafeEqual(createHash('sha256').update(clientKey).digest(), stored);
}

/** Stores (or replaces) the verifier of a user's new password or of a new API key. */
export async function storeScramVerifier(
  db: Db,
  subject: 'user' | 'api_key',
  subjectId: string,
  login: string,
  secret: string,
): Promise<void> {
  const salt = subject === 'api_key' ? applicationSalt(login) : randomBytes(16);
  const v = scramVerifier(secret, salt);
  const values = {
    login,
    salt: v.salt,
    iterations: v.iterations,
    stored_key: v.storedKey,
    server_key: v.serverKey,
  };
  await db
    .insertInto('scram_verifiers')
    .values({ subject, subject_id: subjectId, ...values })
    .onConflict((oc) => oc.columns(['subject', 'subject_id']).doUpdateSet(values))
    .execute();
}
