import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import {
  type AccessRequestView,
  createAccessRequest,
  getAccessRequest,
  withdrawAccessRequest,
} from '../sharing/index.js';
import type { Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';
import { mirrorPeerApplication } from './peer-principals.js';
import { mirrorPeerPerson } from './remote-request-person.js';
import { type PeerAccessRequest, PeerAccessRequestSchema } from './remote-request-schema.js';

/** A peer's request as filed here: the access request, who filed it, and whether it is new. */
export interface ReceivedRequest {
  asked: PeerAccessRequest;
  view: AccessRequestView;
  actor: Extract<Actor, { kind: 'user' }>;
  created: boolean;
}

/** Parses a signed body with a schema, or `bad_request`. */
export function parsePeerBody<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } };
  },
  body: Buffer,
  what: string,
): T {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError(400, 'bad_request', `The ${what} is malformed`, {
      issues: parsed.error.issues.length,
    });
  return parsed.data;
}

/**
 * A provider node files a peer's access request (跨节点共享申请, 已验签 by the route): the
 * organisation, application and person are mirrored here (keyed by the signing node; an
 * organisation outside its region is refused), and the request is filed by the mirrored person
 * through sharing's own createAccessRequest — the same checks (a 有条件共享, published resource of
 * another organisation, known items, the period) and the same approval steps as a local one, so
 * the provider's steward decides it in the usual review. A retry of the same request (its
 * `remoteRequestId`) answers the request already filed.
 */
export async function receivePeerAccessRequest(
  db: Kysely<Database>,
  sender: FederationNode,
  body: Buffer,
): Promise<ReceivedRequest> {
  const asked = parsePeerBody(PeerAccessRequestSchema, body, 'cross-node access request');
  const principal = await mirrorPeerApplication(db, sender, asked.org, asked.application);
  const actor = await mirrorPeerPerson(db, sender, principal, asked.person);
  const filed = await db
    .selectFrom('federation_peer_requests')
    .select('access_request_id')
    .where('node_id', '=', sender.nodeId)
    .where('remote_request_id', '=', asked.remoteRequestId)
    .executeTakeFirst();
  if (filed)
    return { asked, actor, created: false, view: await getAccessRequest(db, actor, filed.access_request_id) };
  const view = await createAccessRequest(db, actor, {
    ...asked.request,
    applicationId: principal.applicationId,
  });
  const inserted = await db
    .insertInto('federation_peer_requests')
    .values({
      node_id: sender.nodeId,
      remote_request_id: asked.remoteRequestId,
      access_request_id: view.id,
      created_at: new Date(),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
    // Two deliveries of one request raced: the first filed stands, this one is withdrawn.
    await withdrawAccessRequest(db, actor, view.id);
    return receivePeerAccessRequest(db, sender, body);
  }
  return { asked, actor, created: true, view };
}
