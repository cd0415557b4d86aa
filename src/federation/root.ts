import { createHash, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError, ConflictError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { type FederationConfig, FederationConfigSchema, type NodeLevel } from './config-schema.js';
import { keyIdOf, signConfig } from './config-sign.js';
import { holdConfig, readHeldConfig, readNode, requireNode } from './node-store.js';

/** How long a published configuration is trusted without a newer one (days). */
export const CONFIG_VALIDITY_DAYS = 7;

/** What an installation says of itself when it becomes a root or joins one. */
export interface NodeDescription {
  nodeId: string;
  regionCode: string;
  name: string;
  level: NodeLevel;
  url: string;
  parentNodeId?: string | null;
  /** Its audit log's vkey, published in the configuration for its witnesses. */
  auditVkey?: string;
}

/**
 * Makes this installation the root of a new federation: its identity, itself as the first
 * active member, and configuration version 1 signed with its node key.
 */
export async function initRoot(
  db: Kysely<Database>,
  key: { key: KeyObject; publicKey: string },
  federation: string,
  self: NodeDescription,
): Promise<FederationConfig> {
  if (await readNode(db))
    throw new ConflictError('federation_already_joined', 'This node is already in a federation');
  const now = new Date();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('federation_node')
      .values({
        id: 1,
        node_id: self.nodeId,
        region_code: self.regionCode,
        name: self.name,
        level: self.level,
        url: self.url,
        parent_node_id: null,
        role: 'root',
        federation,
        root_url: null,
        root_public_key: key.publicKey,
        created_at: now,
      })
      .execute();
    await tx
      .insertInto('federation_members')
      .values({
        node_id: self.nodeId,
        region_code: self.regionCode,
        name: self.name,
        level: self.level,
        parent_node_id: null,
        url: self.url,
        public_key: key.publicKey,
        audit_vkey: self.auditVkey ?? null,
        status: 'active',
        requested_at: now,
        decided_at: now,
        decided_by: 'init',
      })
      .execute();
  });
  return publishConfig(db, key.key);
}

/**
 * Signs and holds the next configuration from the member registry (every decided member with
 * its status; pending and rejected ones are not listed). Only the root publishes.
 */
export async function publishConfig(
  db: Kysely<Database>,
  rootKey: KeyObject,
  now: Date = new Date(),
): Promise<FederationConfig> {
  const node = await requireNode(db);
  if (node.role !== 'root')
    throw new AppError(403, 'forbidden', 'Only the root node publishes the configuration');
  const members = await db
    .selectFrom('federation_members')
    .selectAll()
    .where('status', 'in', ['active', 'suspended', 'revoked'])
    .orderBy('node_id')
    .execute();
  const held = await readHeldConfig(db);
  const config = FederationConfigSchema.parse({
    federation: node.federation,
    version: (held?.config.version ?? 0) + 1,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CONFIG_VALIDITY_DAYS * 86_400_000).toISOString(),
    rootNodeId: node.node_id,
    nodes: members.map((m) => ({
      nodeId: m.node_id,
      regionCode: m.region_code,
      name: m.name,
      level: m.level,
      parentNodeId: m.parent_node_id,
      url: m.url,
      publicKey: m.public_key,
      ...(m.audit_vkey ? { auditVkey: m.audit_vkey } : {}),
      status: m.status,
    })),
  });
  await holdConfig(db, node.root_public_key, signConfig(config, rootKey), now);
  return config;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Issues a one-time join token (valid 24 h by default). The token carries the root key's id, so
 * the joining node pins the right key from its first fetch. Shown once; stored hashed.
 */
export async function issueJoinToken(
  db: Kysely<Database>,
  issuedBy: string,
  validHours = 24,
): Promise<{ id: string; token: string; expiresAt: string }> {
  const node = await requireNode(db);
  if (node.role !== 'root') throw new AppError(403, 'forbidden', 'Only the root node issues join tokens');
  const token = `${randomBytes(24).toString('base64url')}.${keyIdOf(Buffer.from(node.root_public_key, 'base64'))}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + validHours * 3_600_000);
  const id = randomUUID();
  await db
    .insertInto('federation_join_tokens')
    .values({
      id,
      token_hash: hashToken(token),
      created_by: issuedBy,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { id, token, expiresAt: expiresAt.toISOString() };
}

/** Spends a join token for `nodeId`: once, before it expires; otherwise `federation_join_token_invalid`. */
export async function spendJoinToken(db: Kysely<Database>, token: string, nodeId: string): Promise<void> {
  const now = new Date();
  const spent = await db
    .updateTable('federation_join_tokens')
    .set({ used_at: now, used_by_node: nodeId })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  if (!spent)
    throw new AppError(403, 'federation_join_token_invalid', 'The join token is invalid, used or expired');
}
