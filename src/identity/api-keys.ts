import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { BadRequestError, ConflictError, NotFoundError, UnauthorizedError } from '../errors/index.js';
import {
  cachedRead,
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import type { Actor } from './actor.js';
import { presentApiKey } from './presenters.js';
import { KEY_ROLES, type Role } from './roles.js';
import type { ApiKeyView } from './schemas.js';
import { storeScramVerifier } from './scram.js';
import { hashToken, randomToken, sameSecret } from './tokens.js';

type Db = Kysely<Database>;

// ht_<12 hex: the key's public id>_<43 base64url: 256 random bits>
const KEY_PATTERN = /^ht_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Whether a string has the shape of a Huitong API key (not whether it is valid). */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The public id inside a key, for rate-limit buckets and logs; undefined if malformed. */
export function apiKeyId(value: string): string | undefined {
  return KEY_PATTERN.exec(value)?.[1];
}

/** A new key: `key` is shown once and never stored. */
export interface NewApiKey {
  key: string;
  apiKey: ApiKeyView;
}

/** Live keys an application may hold unless the platform's setting says otherwise. */
export const DEFAULT_MAX_LIVE_KEYS = 5;

/**
 * Mints a key for an application; the roles must be application roles and (for a user) held by
 * its creator. An application holds at most `maxLive` live (unrevoked, unexpired) keys: 409
 * `api_key_limit_reached` beyond, counted under a lock on the application so that simultaneous
 * requests cannot pass it.
 */
export async function createApiKey(
  db: Db,
  input: {
    applicationId: string;
    name: string;
    roles: Role[];
    expiresAt?: string | null;
    createdBy?: string | null;
    maxLive?: number;
  },
  creatorRoles?: readonly Role[],
): Promise<NewApiKey> {
  const roles = [...new Set(input.roles)];
  const bad = roles.filter(
    (r) =>
      !KEY_ROLES.includes(r) ||
      (creatorRoles && !creatorRoles.includes(r) && !creatorRoles.includes('org_admin')),
  );
  if (bad.length > 0) {
    throw new BadRequestError('invalid_key_roles', `An API key cannot carry ${bad.join(', ')}`, {
      field: 'roles',
    });
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= new Date()) {
    throw new BadRequestError('invalid_expiry', 'The expiry must be in the future', { field: 'expiresAt' });
  }
  const maxLive = input.maxLive ?? DEFAULT_MAX_LIVE_KEYS;
  const keyId = randomBytes(6).toString('hex');
  const key = `ht_${keyId}_${randomToken(32)}`;
  const row = await db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['id', 'name'])
      .where('id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirst();
    if (!app) throw new NotFoundError('Application');
    const now = new Date();
    const live = await trx
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('application_id', '=', input.applicationId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= maxLive) {
      throw new ConflictError(
        'api_key_limit_reached',
        `An application may hold at most ${maxLive} live API keys; revoke one first`,
        { limit: maxLive },
      );
    }
    const inserted = await trx
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        application_id: input.applicationId,
        name: input.name,
        key_id: keyId,
        key_hash: hashToken(key),
        roles,
        created_by: input.createdBy ?? null,
        created_at: now,
        expires_at: expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The PostgreSQL wire protocol's SCRAM verifier: the application's name is the user name there.
    await storeScramVerifier(trx, 'api_key', inserted.id, app.name, key);
    return inserted;
  });
  return { key, apiKey: presentApiKey(row) };
}

/** An application's keys, newest last. */
export async function listApiKeys(db: Db, applicationId: string, page: PageQuery): Promise<Page<ApiKeyView>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('api_keys')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  const now = new Date();
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    (r) => presentApiKey(r, now),
  );
}

/** A key with the organisation that owns its application, or a 404. */
export async function getApiKey(db: Db, id: string): Promise<ApiKeyView & { orgId: string }> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('applications', 'applications.id', 'api_keys.application_id')
    .selectAll('api_keys')
    .select('applications.org_id')
    .where('api_keys.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('API key');
  return { ...presentApiKey(row), orgId: row.org_id };
}

/** Revokes a key at once; revoking twice keeps the first time. */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKeyView> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('API key');
  return presentApiKey(row);
}

/**
 * Suspends or resumes a key (an early-warning response, docs/warning.md): unlike a revocation it
 * can be undone. Returns whether the key changed (false: unknown, or already so).
 */
export async function setApiKeySuspended(db: Db, id: string, suspended: boolean): Promise<boolean> {
  const changed = await db
    .updateTable('api_keys')
    .set({ suspended_at: suspended ? new Date() : null })
    .where('id', '=', id)
    .where('suspended_at', suspended ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/** The actor behind a bearer key; 401 with a specific code for malformed, unknown, revoked or expired keys. */
export async function authenticateApiKey(
  db: Db,
  key: string,
): Promise<Extract<Actor, { kind: 'application' }>> {
  const match = KEY_PATTERN.exec(key);
  if (!match) throw new UnauthorizedError('The API key is malformed', 'invalid_api_key');
  // Reused for under a second (HUITONG_METADATA_CACHE_MS); a revocation by this process empties it.
  const row = await cachedRead(db, `api_key:${match[1]}`, () =>
    db
      .selectFrom('api_keys')
      .innerJoin('applications', 'applications.id', 'api_keys.application_id')
      .select([
        'api_keys.id',
        'api_keys.key_hash',
        'api_keys.roles',
        'api_keys.revoked_at',
        'api_keys.suspended_at',
        'api_keys.expires_at',
        'api_keys.last_used_at',
      ])
      .select(['applications.id as application_id', 'applications.org_id'])
      .where('api_keys.key_id', '=', match[1]!)
      .executeTakeFirst(),
  );
  if (!row || !sameSecret(row.key_hash, hashToken(key)))
    throw new UnauthorizedError('Unknown API key', 'invalid_api_key');
  if (row.revoked_at !== null) throw new UnauthorizedError('The API key has been revoked', 'api_key_revoked');
  if (row.suspended_at !== null)
    throw new UnauthorizedError('The API key is suspended by the security officer', 'api_key_suspended');
  const now = new Date();
  if (row.expires_at !== null && new Date(row.expires_at) <= now) {
    throw new UnauthorizedError('The API key has expired', 'api_key_expired');
  }
  // Recorded to the minute: a write on every call would double the cost of a read.
  if (row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'application',
    applicationId: row.application_id,
    keyId: row.id,
    orgId: row.org_id,
    roles: row.roles as Role[],
  };
}
