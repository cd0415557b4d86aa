import type { Kysely } from 'kysely';
import { type AccessRequestView, getAccessRequest } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';
import { parsePeerBody } from './remote-request-receive.js';
import {
  type PeerRequestStatus,
  type PeerStatusAnswer,
  PeerStatusQuerySchema,
  type RemoteDecision,
} from './remote-request-schema.js';

/** The decision of a request as the consumer node is told it: the grant's items and period, or the coded refusal. */
export function decisionOf(view: AccessRequestView): RemoteDecision | null {
  if (view.status === 'pending') return null;
  const approved = view.status === 'approved' || view.status === 'partially_approved';
  return {
    grant:
      approved && view.terms && view.grantId
        ? {
            id: view.grantId,
            items: view.terms.items.map((i) => ({ name: i.name, mask: i.mask.kind })),
            validFrom: view.terms.validFrom,
            validUntil: view.terms.validUntil,
          }
        : null,
    rejection: view.rejection ? { reason: view.rejection.reason, text: view.rejection.text } : null,
    decidedAt: view.updatedAt,
  };
}

/**
 * Where a peer's requests stand on this (provider) node (已验签 by the route): only the requests
 * that node filed are answered, read as their (mirrored) applicant reads them.
 */
export async function peerRequestStatuses(
  db: Kysely<Database>,
  sender: FederationNode,
  body: Buffer,
): Promise<PeerStatusAnswer> {
  const asked = parsePeerBody(PeerStatusQuerySchema, body, 'status query');
  const rows = await db
    .selectFrom('federation_peer_requests')
    .innerJoin('access_requests', 'access_requests.id', 'federation_peer_requests.access_request_id')
    .select([
      'federation_peer_requests.remote_request_id',
      'access_requests.id',
      'access_requests.created_by',
      'access_requests.consumer_org_id',
    ])
    .where('federation_peer_requests.node_id', '=', sender.nodeId)
    .where('federation_peer_requests.remote_request_id', 'in', asked.remoteRequestIds)
    .execute();
  const requests: PeerRequestStatus[] = [];
  for (const row of rows) {
    // Read through sharing as the applicant would: its own presenter, its own read rule.
    const view = await getAccessRequest(
      db,
      { kind: 'user', userId: row.created_by, orgId: row.consumer_org_id, username: '', roles: ['analyst'] },
      row.id,
    );
    requests.push({
      remoteRequestId: row.remote_request_id,
      requestId: view.id,
      status: view.status,
      decision: decisionOf(view),
    });
  }
  return { requests };
}
