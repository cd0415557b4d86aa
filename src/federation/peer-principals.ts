import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors/index.js';
import { cachedRead, type Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';

/** The consumer's organisation as its node declares it in a cross-node request. */
export const PeerOrgSchema = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(150),
  kind: z.enum(['department', 'enterprise']),
  level: z.enum(['national', 'provincial', 'municipal', 'county']),
  regionCode: z.string().regex(/^\d{6}$/),
});
export type PeerOrg = z.infer<typeof PeerOrgSchema>;

/** The consumer's application as its node declares it. */
export const PeerAppSchema = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(150),
});
export type PeerApp = z.infer<typeof PeerAppSchema>;

/** A peer's principal as mirrored on this node: the local organisation and application. */
export interface PeerPrincipal {
  orgId: string;
  applicationId: string;
}

/**
 * The region codes a node speaks for: its own code with the trailing "00" pairs dropped (a
 * province 330000 → 33…, a city 330100 → 3301…); the national node for all.
 */
export function speaksForRegion(node: FederationNode, regionCode: string): boolean {
  if (node.level === 'national') return true;
  const prefix = node.regionCode.replace(/(00)+$/, '');
  return regionCode.startsWith(prefix);
}

class Raced extends Error {}

/**
 * The local organisation and application that stand for a peer node's application on this node
 * (made on its first request). Mirrors are keyed by the node that signed: a node cannot act as
 * another node's organisation, and one naming an organisation outside its region is refused
 * (`federation_org_outside_node`).
 */
export async function mirrorPeerApplication(
  db: Kysely<Database>,
  node: FederationNode,
  org: PeerOrg,
  app: PeerApp,
): Promise<PeerPrincipal> {
  if (!speaksForRegion(node, org.regionCode))
    throw new AppError(
      403,
      'federation_org_outside_node',
      `Node ${node.nodeId} does not speak for an organisation of region ${org.regionCode}`,
    );
  for (let attempt = 0; attempt < 3; attempt++) {
    // Mirrored once, then looked up on every read of that application: the read cache keeps it.
    const known = await cachedRead(db, `peer_app:${node.nodeId}:${app.id}`, () =>
      db
        .selectFrom('federation_peer_apps')
        .select(['application_id', 'org_id'])
        .where('node_id', '=', node.nodeId)
        .where('remote_app_id', '=', app.id)
        .executeTakeFirst(),
    );
    if (known) return { orgId: known.org_id, applicationId: known.application_id };
    try {
      return await db.transaction().execute(async (tx) => {
        const orgId = await mirrorOrg(tx, node, org);
        const applicationId = randomUUID();
        const now = new Date();
        await tx
          .insertInto('applications')
          .values({
            id: applicationId,
            org_id: orgId,
            name: app.name,
            description: `${node.name}（${node.nodeId}）的应用 ${app.id}`,
            created_at: now,
          })
          .execute();
        const inserted = await tx
          .insertInto('federation_peer_apps')
          .values({
            node_id: node.nodeId,
            remote_app_id: app.id,
            application_id: applicationId,
            org_id: orgId,
            created_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new Raced();
        return { orgId, applicationId };
      });
    } catch (error) {
      // Another request of the same application mirrored it first: take that one.
      if (!(error instanceof Raced)) throw error;
    }
  }
  throw new AppError(503, 'store_unavailable', 'The peer application could not be registered; try again');
}

async function mirrorOrg(tx: Kysely<Database>, node: FederationNode, org: PeerOrg): Promise<string> {
  const known = await tx
    .selectFrom('federation_peer_orgs')
    .select('org_id')
    .where('node_id', '=', node.nodeId)
    .where('remote_org_id', '=', org.id)
    .executeTakeFirst();
  if (known) return known.org_id;
  const orgId = randomUUID();
  const now = new Date();
  // The node's name in the organisation's: the provider's stewards see whose it is.
  await tx
    .insertInto('organizations')
    .values({
      id: orgId,
      name: `${org.name}（${node.name} ${org.id}）`,
      kind: org.kind,
      level: org.level,
      region_code: org.regionCode,
      parent_id: null,
      credit_code: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const inserted = await tx
    .insertInto('federation_peer_orgs')
    .values({ node_id: node.nodeId, remote_org_id: org.id, org_id: orgId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new Raced();
  return orgId;
}
