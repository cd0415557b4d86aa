import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';
import type { PeerPrincipal } from './peer-principals.js';
import type { PeerPerson } from './remote-request-schema.js';

// Not an argon2 hash: no password verifies against it, and the user is disabled besides.
const NO_PASSWORD = '!federation-peer';

class Raced extends Error {}

/**
 * The local user that stands for a person of a peer node who applies here (跨节点共享申请): an
 * analyst of the mirrored organisation who cannot sign in (disabled, no password), keyed by the
 * signing node and the id it gave, like the mirrored organisation and application. The request is
 * then an ordinary access request, filed by a person of the applicant organisation, and the
 * provider's reviewers see the applicant's name as for a local one. The name follows the node's.
 */
export async function mirrorPeerPerson(
  db: Kysely<Database>,
  node: FederationNode,
  principal: PeerPrincipal,
  person: PeerPerson,
): Promise<Extract<Actor, { kind: 'user' }>> {
  const actor = (userId: string, username: string) =>
    ({ kind: 'user', userId, orgId: principal.orgId, username, roles: ['analyst'] }) as const;
  for (let attempt = 0; attempt < 3; attempt++) {
    const known = await db
      .selectFrom('federation_peer_users')
      .innerJoin('users', 'users.id', 'federation_peer_users.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.org_id'])
      .where('federation_peer_users.node_id', '=', node.nodeId)
      .where('federation_peer_users.remote_user_id', '=', person.id)
      .executeTakeFirst();
    if (known && known.org_id === principal.orgId) {
      if (known.display_name !== person.displayName)
        await db
          .updateTable('users')
          .set({ display_name: person.displayName })
          .where('id', '=', known.id)
          .execute();
      return actor(known.id, known.username);
    }
    // A person who moved to another organisation of that node applies as a new person of it.
    const key = known ? `${person.id}@${principal.orgId}` : person.id;
    if (known) {
      const moved = await db
        .selectFrom('federation_peer_users')
        .innerJoin('users', 'users.id', 'federation_peer_users.user_id')
        .select(['users.id', 'users.username'])
        .where('federation_peer_users.node_id', '=', node.nodeId)
        .where('federation_peer_users.remote_user_id', '=', key)
        .executeTakeFirst();
      if (moved) return actor(moved.id, moved.username);
    }
    try {
      return await db.transaction().execute(async (tx) => {
        const userId = randomUUID();
        const username = `peer.${node.nodeId}.${userId.slice(0, 8)}`;
        const now = new Date();
        await tx
          .insertInto('users')
          .values({
            id: userId,
            org_id: principal.orgId,
            username,
            display_name: person.displayName,
            email: null,
            password_hash: NO_PASSWORD,
            roles: ['analyst'],
            disabled: true,
            created_at: now,
          })
          .execute();
        const inserted = await tx
          .insertInto('federation_peer_users')
          .values({
            node_id: node.nodeId,
            remote_user_id: key,
            user_id: userId,
            org_id: principal.orgId,
            created_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new Raced();
        return actor(userId, username);
      });
    } catch (error) {
      if (!(error instanceof Raced)) throw error;
    }
  }
  throw new Error('the peer person could not be registered');
}
