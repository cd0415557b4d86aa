import type { Kysely } from 'kysely';
import { z } from 'zod';
import { verifierFromVkey } from '../audit/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';
import { peerRequest } from './peer-http.js';
import { pinLogKey, readWitnessPeer } from './witness-store.js';

const PublicKeyAnswer = z.object({ origin: z.string(), vkey: z.string() });

/**
 * The audit log key a witness checks a peer's checkpoints with. The root signs it into the
 * configuration (`auditVkey`, given at join): that one wins, and replaces any key pinned before.
 * A node that joined before keys were published is asked once for its key, which is then pinned
 * (trust on first sight): a later change of its key is a mismatch, never silently taken.
 */
export async function peerLogKey(
  db: Kysely<Database>,
  policy: OutboundPolicy,
  peer: FederationNode,
): Promise<string> {
  const pinned = await readWitnessPeer(db, peer.nodeId);
  if (peer.auditVkey) {
    verifierFromVkey(peer.auditVkey);
    if (pinned?.vkey !== peer.auditVkey || pinned.vkey_source !== 'config')
      await pinLogKey(db, peer.nodeId, peer.auditVkey, 'config');
    return peer.auditVkey;
  }
  if (pinned) return pinned.vkey;
  const answer = await peerRequest(policy, new URL('/api/v1/audit/public-key', peer.url));
  if (answer.status !== 200) throw new Error(`${peer.nodeId} answered ${answer.status} for its log key`);
  const { vkey } = PublicKeyAnswer.parse(JSON.parse(answer.body.toString('utf8')));
  verifierFromVkey(vkey);
  await pinLogKey(db, peer.nodeId, vkey, 'first_sight');
  return vkey;
}
