import type { Kysely } from 'kysely';
import { UnauthorizedError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { AuthenticatedActor } from './actor.js';
import { authenticateApiKey, looksLikeApiKey } from './api-keys.js';
import {
  admitLoginAttempt,
  type LoginThrottleSettings,
  loginThrottleKeys,
  settleLoginSuccess,
} from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import { type ScramVerifier, scramProofMatches } from './scram.js';
import { LoginLockedError } from './sessions.js';

type Db = Kysely<Database>;

/** Who signs in over the PostgreSQL wire protocol, from where, under which lockout. */
export interface WireLogin {
  /** The user name the client sent: a username, or an application's name. */
  user: string;
  ip: string;
  throttle: LoginThrottleSettings;
}

/**
 * Counts an attempt before its secret is checked, as the HTTP login does (one lockout for both
 * doors): 429 `login_locked` when the account or the address is locked out.
 */
export async function admitWireLogin(db: Db, login: WireLogin): Promise<void> {
  const block = await admitLoginAttempt(db, loginThrottleKeys(login.user, login.ip), login.throttle);
  if (block)
    throw new LoginLockedError(
      block.scope,
      Math.max(1, Math.ceil((block.until.getTime() - Date.now()) / 1000)),
    );
}

/** Gives back the attempt counted in advance, after a success. */
export function settleWireLogin(db: Db, login: WireLogin): Promise<void> {
  return settleLoginSuccess(db, loginThrottleKeys(login.user, login.ip), login.throttle);
}

const wrong = () => new UnauthorizedError('Wrong user name or password', 'invalid_credentials');

/** The live actor of a user row, or 401 (disabled, or a password someone else set and not yet changed). */
async function userActor(db: Db, where: { id?: string; username?: string }, password?: string) {
  let query = db.selectFrom('users').selectAll();
  if (where.id) query = query.where('id', '=', where.id);
  if (where.username !== undefined) query = query.where('username', '=', where.username);
  const row = await query.executeTakeFirst();
  if (password !== undefined && !(await verifyPassword(row?.password_hash, password))) throw wrong();
  if (!row || row.disabled) throw wrong();
  if (row.must_change_password)
    throw new UnauthorizedError('Change the password in the console first', 'password_change_required');
  return {
    kind: 'user',
    userId: row.id,
    orgId: row.org_id,
    username: row.username,
    roles: row.roles as Role[],
  } satisfies AuthenticatedActor;
}

/**
 * A cleartext password (over TLS only; the caller makes sure): an API key of an application of
 * that name, or the user's password. Counted against the login lockout either way.
 */
export async function authenticateWirePassword(
  db: Db,
  login: WireLogin,
  password: string,
): Promise<AuthenticatedActor> {
  await admitWireLogin(db, login);
  let actor: AuthenticatedActor;
  if (looksLikeApiKey(password)) {
    actor = await authenticateApiKey(db, password).catch(() => {
      throw wrong();
    });
    const app = await db
      .selectFrom('applications')
      .select('name')
      .where('id', '=', actor.applicationId)
      .executeTakeFirst();
    if (app?.name !== login.user) throw wrong();
  } else {
    actor = await userActor(db, { username: login.user }, password);
  }
  await settleWireLogin(db, login);
  return actor;
}

/** A stored verifier and whose it is. */
export interface ScramCandidate extends ScramVerifier {
  subject: 'user' | 'api_key';
  subjectId: string;
}

/** The SCRAM verifiers stored under a user name: the user's, or the keys of applications of that name. */
export async function scramCandidates(db: Db, user: string): Promise<ScramCandidate[]> {
  const rows = await db.selectFrom('scram_verifiers').selectAll().where('login', '=', user).execute();
  return rows.map((r) => ({
    subject: r.subject as ScramCandidate['subject'],
    subjectId: r.subject_id,
    salt: r.salt,
    iterations: r.iterations,
    storedKey: r.stored_key,
    serverKey: r.server_key,
  }));
}

/** The candidate whose secret made the client's proof, if any (RFC 5802: each is tried, in constant time each). */
export function matchScramProof(
  candidates: ScramCandidate[],
  authMessage: string,
  clientProof: string,
): ScramCandidate | undefined {
  let found: ScramCandidate | undefined;
  for (const c of candidates) if (scramProofMatches(c.storedKey, authMessage, clientProof)) found ??= c;
  return found;
}

/**
 * The actor behind a credential, checked now: a key neither revoked nor expired, a user not
 * disabled. The wire protocol asks again before every query, so that a revocation stops an
 * open connection's next query.
 */
export async function wireActor(
  db: Db,
  subject: ScramCandidate['subject'],
  subjectId: string,
): Promise<AuthenticatedActor> {
  if (subject === 'user') return userActor(db, { id: subjectId });
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('applications', 'applications.id', 'api_keys.application_id')
    .select(['api_keys.roles', 'api_keys.revoked_at', 'api_keys.expires_at', 'applications.org_id'])
    .select('applications.id as application_id')
    .where('api_keys.id', '=', subjectId)
    .executeTakeFirst();
  if (!row) throw new UnauthorizedError('Unknown API key', 'invalid_api_key');
  if (row.revoked_at !== null) throw new UnauthorizedError('The API key has been revoked', 'api_key_revoked');
  if (row.expires_at !== null && new Date(row.expires_at) <= new Date())
    throw new UnauthorizedError('The API key has expired', 'api_key_expired');
  return {
    kind: 'application',
    applicationId: row.application_id,
    keyId: subjectId,
    orgId: row.org_id,
    roles: row.roles as Role[],
  };
}
