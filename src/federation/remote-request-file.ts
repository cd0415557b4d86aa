import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/index.js';
import { type AuthenticatedActor, authorize, getApplication } from '../identity/index.js';
import { peerOrgOf, providerPeer } from './peer-provider.js';
import { deliverRemoteRequest, deliveryUncertain } from './remote-request-deliver.js';
import type { RemoteRequestContext } from './remote-request-exchange.js';
import { presentRemoteRequest } from './remote-request-list.js';
import { remoteRequestNames } from './remote-request-names.js';
import {
  type CreateRemoteRequestInput,
  CreateRemoteRequestSchema,
  type PeerAccessRequest,
  type RemoteRequestView,
} from './remote-request-schema.js';

/**
 * An analyst applies, from this node, for a resource another node provides (跨节点共享申请), for
 * one of their organisation's applications: authorised here exactly as a local request (the
 * analyst, the application of their organisation), then sent signed to the provider node, naming
 * the organisation, the application and the person; the provider files it for its steward. The
 * request is recorded here first, then sent; once the provider has filed it, with the provider's
 * id, it is logged (`federation.remote_request_sent`). When the provider cannot be reached (or its
 * answer is lost) the request stays `sending` and the follower sends it again; when the provider
 * refuses to file it, its code reaches the analyst and nothing is kept.
 */
export async function fileRemoteRequest(
  ctx: RemoteRequestContext,
  actor: AuthenticatedActor,
  input: CreateRemoteRequestInput,
  requestId: string,
): Promise<RemoteRequestView> {
  const parsed = CreateRemoteRequestSchema.safeParse(input);
  if (!parsed.success) throw new AppError(400, 'bad_request', 'The request is malformed');
  const { providerNodeId, applicationId, ...fields } = parsed.data;
  const application = await getApplication(ctx.db, applicationId);
  const caller = authorize(actor, 'access_request.create', { orgId: application.orgId, noun: 'Application' });
  if (caller.kind !== 'user') throw new Error('unreachable: requests are filed by people');
  const { config, provider } = await providerPeer(ctx.db, providerNodeId, 'apply at /api/v1/access-requests');
  const person = await ctx.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', '=', caller.userId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const payload: PeerAccessRequest = {
    remoteRequestId: id,
    org: await peerOrgOf(ctx.db, caller.orgId),
    application: { id: application.id, name: application.name },
    person: { id: person.id, displayName: person.display_name },
    request: fields,
  };
  // Recorded before it is sent: a request whose delivery is uncertain is sent again, never lost.
  const now = new Date();
  await ctx.db
    .insertInto('federation_remote_requests')
    .values({
      id,
      org_id: caller.orgId,
      application_id: application.id,
      created_by: caller.userId,
      provider_node_id: provider.nodeId,
      resource_code: fields.resourceCode,
      items: JSON.stringify([...new Set(fields.items)]),
      purpose: fields.purpose,
      payload: JSON.stringify(payload),
      provider_request_id: null,
      status: 'sending',
      decision: null,
      checked_at: null,
      check_error: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const request = {
    id,
    orgId: caller.orgId,
    createdBy: caller.userId,
    providerNodeId: provider.nodeId,
    payload,
  };
  try {
    await deliverRemoteRequest(ctx, config, request, requestId);
  } catch (error) {
    if (!deliveryUncertain(error)) {
      // The provider refused to file it (its code reaches the analyst): nothing to follow.
      await ctx.db.deleteFrom('federation_remote_requests').where('id', '=', id).execute();
      throw error;
    }
    await ctx.db
      .updateTable('federation_remote_requests')
      .set({ checked_at: new Date(), check_error: error instanceof Error ? error.message : String(error) })
      .where('id', '=', id)
      .execute();
  }
  const row = await ctx.db
    .selectFrom('federation_remote_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const names = await remoteRequestNames(ctx.db, [
    { providerNodeId: provider.nodeId, resourceCode: fields.resourceCode },
  ]);
  return presentRemoteRequest(row, names(provider.nodeId, fields.resourceCode));
}
