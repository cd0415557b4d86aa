import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import { cachedRead, type Database } from '../store/index.js';
import { assertConfigCurrent } from './config-accept.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { readHeldConfig, requireNode } from './node-store.js';
import type { PeerOrg } from './peer-principals.js';
import { activeNode } from './signed-request.js';

/**
 * The provider node a consumer node is about to ask (a read, an export, a verification, an
 * access request), checked: this node's configuration current, this node and the provider
 * active members, the provider another node (`local` says where to go when it is this one).
 */
export async function providerPeer(
  db: Kysely<Database>,
  providerNodeId: string,
  local: string,
): Promise<{ self: string; config: FederationConfig; provider: FederationNode }> {
  const self = (await requireNode(db)).node_id;
  const config = assertConfigCurrent((await readHeldConfig(db))?.config);
  activeNode(config, self);
  const provider = activeNode(config, providerNodeId);
  if (provider.nodeId === self)
    throw new AppError(400, 'bad_request', `The resource is on this node: ${local}`);
  return { self, config, provider };
}

/** An organisation of this node as a cross-node request declares it to the provider. */
export async function peerOrgOf(db: Kysely<Database>, orgId: string): Promise<PeerOrg> {
  // Named in every cross-node read: kept by the store's read cache, as the caller's key is.
  const org = await cachedRead(db, `peer_read_org:${orgId}`, () =>
    db
      .selectFrom('organizations')
      .select(['id', 'name', 'kind', 'level', 'region_code'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow(),
  );
  return {
    id: org.id,
    name: org.name,
    kind: org.kind as PeerOrg['kind'],
    level: org.level as PeerOrg['level'],
    regionCode: org.region_code,
  };
}
