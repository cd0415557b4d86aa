import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { ReportedChange } from './catalog-schema.js';
import type { FederationConfig, FederationNode } from './config-schema.js';

type Db = Kysely<Database>;

/** Whether a node's GB/T 2260 region holds `code` (330000 holds 3301xx; the national node all). */
export function regionHolds(node: Pick<FederationNode, 'level' | 'regionCode'>, code: string): boolean {
  if (node.level === 'national') return true;
  let prefix = node.regionCode;
  while (prefix.endsWith('00') && prefix.length > 2) prefix = prefix.slice(0, -2);
  return code.startsWith(prefix);
}

/** The sender itself or a node below it in the configuration (a province relays its cities'). */
function underSender(config: FederationConfig, sender: FederationNode, originNodeId: string): FederationNode {
  let node = config.nodes.find((n) => n.nodeId === originNodeId);
  const origin = node;
  for (let depth = 0; node && depth < 8; depth++) {
    if (node.nodeId === sender.nodeId && origin) return origin;
    node = config.nodes.find((n) => n.nodeId === node!.parentNodeId);
  }
  throw notOwn(`Node ${sender.nodeId} reported entries of ${originNodeId}, which is not below it`, {
    nodeId: originNodeId,
  });
}

const notOwn = (message: string, details: Record<string, string>) =>
  new AppError(403, 'federation_catalog_not_own', message, details);

/**
 * Refuses a report that claims what is not the sender's: an origin node outside its subtree, an
 * organisation outside the origin's region, an organisation of this node, or one already
 * reported by another node (an organisation belongs to the node that first reported it). Binds
 * the organisations reported for the first time to their node (inside the caller's transaction).
 */
export async function checkOwnership(
  tx: Db,
  config: FederationConfig,
  sender: FederationNode,
  changes: ReportedChange[],
): Promise<void> {
  const claims = new Map<string, string>();
  for (const change of changes) {
    const origin = underSender(config, sender, change.originNodeId);
    if (change.op !== 'upsert') continue;
    const org = change.resource.provider;
    if (!regionHolds(origin, org.regionCode))
      throw notOwn(`Organisation ${org.id} (${org.regionCode}) is outside node ${origin.nodeId}'s region`, {
        nodeId: origin.nodeId,
        orgId: org.id,
      });
    const claimed = claims.get(org.id);
    if (claimed !== undefined && claimed !== origin.nodeId)
      throw notOwn(`Organisation ${org.id} is claimed by two nodes`, {
        nodeId: origin.nodeId,
        orgId: org.id,
      });
    claims.set(org.id, origin.nodeId);
  }
  if (!claims.size) return;
  const ids = [...claims.keys()];
  const local = await tx.selectFrom('organizations').select('id').where('id', 'in', ids).executeTakeFirst();
  if (local)
    throw notOwn(`Organisation ${local.id} is one of this node's own`, {
      nodeId: claims.get(local.id)!,
      orgId: local.id,
    });
  const bound = await tx
    .selectFrom('federation_catalog_orgs')
    .select(['org_id', 'node_id'])
    .where('org_id', 'in', ids)
    .execute();
  for (const b of bound)
    if (b.node_id !== claims.get(b.org_id))
      throw notOwn(`Organisation ${b.org_id} belongs to node ${b.node_id}`, {
        nodeId: claims.get(b.org_id)!,
        orgId: b.org_id,
      });
  await tx
    .insertInto('federation_catalog_orgs')
    .values([...claims].map(([org_id, node_id]) => ({ org_id, node_id })))
    .onConflict((c) => c.column('org_id').doNothing())
    .execute();
}
