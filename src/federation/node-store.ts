import type { KeyObject } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { loadOrCreateEd25519Key, rawPublicKey } from '../audit/index.js';
import { AppError } from '../errors/index.js';
import { cachedRead, type Database, type FederationNodeTable } from '../store/index.js';

/** This node's row. */
export type NodeRow = Selectable<FederationNodeTable>;

import { acceptConfig } from './config-accept.js';
import {
  type FederationConfig,
  type SignedFederationConfig,
  SignedFederationConfigSchema,
} from './config-schema.js';
import { verifySignedConfig } from './config-sign.js';
import type { NonceCache } from './signed-request.js';
import { SIGNATURE_WINDOW_SECONDS } from './signed-request.js';

/** The node's signing key file, beside the audit key in the data directory. */
export const NODE_KEY_FILE = 'node-ed25519.key';

/** This node's Ed25519 key (generated on first start) and its raw public half, base64. */
export async function loadNodeKey(dataDir: string): Promise<{ key: KeyObject; publicKey: string }> {
  const key = await loadOrCreateEd25519Key(dataDir, NODE_KEY_FILE);
  return { key, publicKey: rawPublicKey(key).toString('base64') };
}

/** This node's federation identity, or undefined before it was set up (init or join). */
export async function readNode(db: Kysely<Database>): Promise<NodeRow | undefined> {
  // Every signed exchange asks; the store's read cache keeps it under a second (and empties on a write here).
  return cachedRead(db, 'federation_node', () =>
    db.selectFrom('federation_node').selectAll().where('id', '=', 1).executeTakeFirst(),
  );
}

/** The node's identity, or `federation_not_joined`. */
export async function requireNode(db: Kysely<Database>): Promise<NodeRow> {
  const node = await readNode(db);
  if (!node) throw new AppError(404, 'federation_not_joined', 'This node has not joined a federation');
  return node;
}

// jsonb comes back parsed from PostgreSQL and as text from some drivers.
const storedSigned = (value: unknown): SignedFederationConfig =>
  SignedFederationConfigSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);

/** The signed configuration this node holds, with when it was fetched and the last fetch error. */
export async function readHeldConfig(db: Kysely<Database>): Promise<
  | {
      signed: SignedFederationConfig;
      config: FederationConfig;
      fetchedAt: Date;
      lastError: string | null;
      lastErrorAt: Date | null;
    }
  | undefined
> {
  // Read (and parsed) on every signed exchange: kept under a second by the store's read cache, as the
  // keys and resources of the data path are — a configuration held by another process (a revoked
  // node) is obeyed within that second of its being held; one held by this process, at once.
  return cachedRead(db, 'federation_config', () => loadHeldConfig(db));
}

async function loadHeldConfig(db: Kysely<Database>) {
  const row = await db.selectFrom('federation_config').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) return undefined;
  const signed = storedSigned(row.signed);
  return {
    signed,
    config: signed.config,
    fetchedAt: new Date(row.fetched_at),
    lastError: row.last_error,
    lastErrorAt: row.last_error_at ? new Date(row.last_error_at) : null,
  };
}

/**
 * Holds `signed` if it verifies under the pinned root key and is newer than the one held (under a
 * row lock, so two processes fetching together cannot step back). Returns whether it changed.
 */
export async function holdConfig(
  db: Kysely<Database>,
  pinnedRootKey: string,
  signed: SignedFederationConfig,
  now: Date = new Date(),
): Promise<boolean> {
  const config = verifySignedConfig(signed, Buffer.from(pinnedRootKey, 'base64'));
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('federation_config')
      .select('signed')
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirst();
    const held = row ? storedSigned(row.signed).config : undefined;
    const newer = acceptConfig(held, config, now);
    const values = {
      version: config.version,
      signed: JSON.stringify(signed),
      fetched_at: now,
      last_error: null,
      last_error_at: null,
    };
    if (!row)
      await tx
        .insertInto('federation_config')
        .values({ id: 1, ...values })
        .execute();
    else if (newer) await tx.updateTable('federation_config').set(values).where('id', '=', 1).execute();
    else
      await tx
        .updateTable('federation_config')
        .set({ fetched_at: now, last_error: null, last_error_at: null })
        .where('id', '=', 1)
        .execute();
    return newer;
  });
}

/** Records why the last fetch of the configuration failed (shown on the federation page). */
export async function recordConfigError(
  db: Kysely<Database>,
  message: string,
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('federation_config')
    .set({ last_error: message.slice(0, 500), last_error_at: now })
    .where('id', '=', 1)
    .execute();
}

/** The nonce cache in the metadata store: every process of the node sees every nonce. */
export function storeNonceCache(db: Kysely<Database>): NonceCache {
  return {
    remember: async (nodeId, nonce, seenAt) => {
      const inserted = await db
        .insertInto('federation_nonces')
        .values({ node_id: nodeId, nonce, seen_at: seenAt })
        .onConflict((c) => c.columns(['node_id', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      if (Math.random() < 0.01)
        await db
          .deleteFrom('federation_nonces')
          .where('seen_at', '<', new Date(seenAt.getTime() - 2 * SIGNATURE_WINDOW_SECONDS * 1000))
          .execute();
      return inserted !== undefined;
    },
  };
}
