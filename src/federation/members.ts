import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, ConflictError, NotFoundError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { type FederationConfig, FederationNodeSchema, NodeStatusSchema } from './config-schema.js';
import { requireNode } from './node-store.js';
import { publishConfig, spendJoinToken } from './root.js';
import { type NonceCache, verifyRequest } from './signed-request.js';

/** A join request (入网申请): the token and the applicant's description, its key among it. */
export const JoinRequestSchema = z
  .object({
    token: z.string().min(10).max(200),
    node: FederationNodeSchema.omit({ status: true }),
  })
  .strict();
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

/**
 * Takes a join request at the root: the request must be signed by the key it declares (proof of
 * possession) and carry an unspent token; the applicant waits, pending, for the administrator.
 */
export async function receiveJoinRequest(
  db: Kysely<Database>,
  nonces: NonceCache,
  request: { method: string; targetUri: string; headers: Record<string, string>; body: Buffer },
): Promise<{ nodeId: string; status: 'pending' }> {
  const root = await requireNode(db);
  if (root.role !== 'root') throw new AppError(403, 'forbidden', 'Only the root node takes join requests');
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    body = undefined; // not JSON: refused below like any malformed request
  }
  const parsed = JoinRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new AppError(400, 'bad_request', 'The join request is malformed', {
      issues: parsed.error.issues.length,
    });
  const { token, node } = parsed.data;
  // The applicant is not in the configuration yet: its own declared key must have signed.
  const applicantOnly: FederationConfig = {
    federation: root.federation,
    version: 0,
    issuedAt: new Date(0).toISOString(),
    expiresAt: new Date(8.64e15).toISOString(),
    rootNodeId: node.nodeId,
    nodes: [{ ...node, status: 'active' }],
  };
  await verifyRequest(request, { config: applicantOnly, nonces });
  const existing = await db
    .selectFrom('federation_members')
    .select('status')
    .where('node_id', '=', node.nodeId)
    .executeTakeFirst();
  if (existing && existing.status !== 'rejected')
    throw new ConflictError('federation_already_joined', `A node ${node.nodeId} is already registered`);
  await spendJoinToken(db, token, node.nodeId);
  const values = {
    region_code: node.regionCode,
    name: node.name,
    level: node.level,
    parent_node_id: node.parentNodeId,
    url: node.url,
    public_key: node.publicKey,
    audit_vkey: node.auditVkey ?? null,
    status: 'pending',
    requested_at: new Date(),
    decided_at: null,
    decided_by: null,
  };
  await db
    .insertInto('federation_members')
    .values({ node_id: node.nodeId, ...values })
    .onConflict((c) => c.column('node_id').doUpdateSet(values))
    .execute();
  return { nodeId: node.nodeId, status: 'pending' };
}

/** The root's member registry, pending requests first. */
export async function listMembers(db: Kysely<Database>) {
  const rows = await db.selectFrom('federation_members').selectAll().orderBy('requested_at').execute();
  return rows.sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));
}

/** Approves (then publishes the next configuration) or rejects a pending join request. */
export async function decideJoin(
  db: Kysely<Database>,
  rootKey: KeyObject,
  nodeId: string,
  approve: boolean,
  decidedBy: string,
): Promise<FederationConfig | undefined> {
  const decided = await db
    .updateTable('federation_members')
    .set({ status: approve ? 'active' : 'rejected', decided_at: new Date(), decided_by: decidedBy })
    .where('node_id', '=', nodeId)
    .where('status', '=', 'pending')
    .returning('node_id')
    .executeTakeFirst();
  if (!decided) throw new NotFoundError('Pending join request', 'not_found');
  return approve ? publishConfig(db, rootKey) : undefined;
}

/** The statuses an administrator sets on a decided member. */
export const MemberStatusSchema = NodeStatusSchema;

/**
 * Suspends, reactivates or revokes a member and publishes the next configuration: its peers stop
 * (or resume) taking its requests once they fetch it. Revoked is final; the root cannot revoke itself.
 */
export async function setMemberStatus(
  db: Kysely<Database>,
  rootKey: KeyObject,
  nodeId: string,
  status: z.infer<typeof MemberStatusSchema>,
  decidedBy: string,
): Promise<FederationConfig> {
  const root = await requireNode(db);
  if (nodeId === root.node_id)
    throw new ConflictError('federation_state_conflict', 'The root node cannot change its own status');
  const member = await db
    .selectFrom('federation_members')
    .select('status')
    .where('node_id', '=', nodeId)
    .executeTakeFirst();
  if (!member || member.status === 'pending' || member.status === 'rejected')
    throw new NotFoundError('Member node');
  if (member.status === 'revoked')
    throw new ConflictError('federation_state_conflict', 'A revoked node stays revoked');
  await db
    .updateTable('federation_members')
    .set({ status, decided_at: new Date(), decided_by: decidedBy })
    .where('node_id', '=', nodeId)
    .execute();
  return publishConfig(db, rootKey);
}
