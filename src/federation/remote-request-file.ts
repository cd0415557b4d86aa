import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/index.js';
import { type AuthenticatedActor, authorize, getApplication } from '../identity/index.js';
import { assertConfigCurrent } from './config-accept.js';
import { readHeldConfig, requireNode } from './node-store.js';
import { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';
import { presentRemoteRequest } from './remote-request-list.js';
import {
  type CreateRemoteRequestInput,
  CreateRemoteRequestSchema,
  PeerAccessAnswerSchema,
  type PeerAccessRequest,
  type RemoteRequestView,
} from './remote-request-schema.js';
import { activeNode } from './signed-request.js';

/** Where a provider node takes its peers' access requests. */
export const PEER_ACCESS_REQUESTS_PATH = '/api/v1/federation/peer/access-requests';

/**
 * An analyst applies, from this node, for a resource another node provides (跨节点共享申请), for
 * one of their organisation's applications: authorised here exactly as a local request (the
 * analyst, the application of their organisation), then sent signed to the provider node, naming
 * the organisation, the application and the person; the provider files it for its steward. The
 * request is recorded here with the provider's id and logged (`federation.remote_request_sent`).
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
  const self = await requireNode(ctx.db);
  const config = assertConfigCurrent((await readHeldConfig(ctx.db))?.config);
  activeNode(config, self.node_id);
  const provider = activeNode(config, providerNodeId);
  if (provider.nodeId === self.node_id)
    throw new AppError(400, 'bad_request', 'The resource is on this node: apply at /api/v1/access-requests');
  const org = await ctx.db
    .selectFrom('organizations')
    .select(['id', 'name', 'kind', 'level', 'region_code'])
    .where('id', '=', caller.orgId)
    .executeTakeFirstOrThrow();
  const person = await ctx.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', '=', caller.userId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const asked: PeerAccessRequest = {
    remoteRequestId: id,
    org: {
      id: org.id,
      name: org.name,
      kind: org.kind as PeerAccessRequest['org']['kind'],
      level: org.level as PeerAccessRequest['org']['level'],
      regionCode: org.region_code,
    },
    application: { id: application.id, name: application.name },
    person: { id: person.id, displayName: person.display_name },
    request: fields,
  };
  const answer = await signedExchange(ctx, config, provider, PEER_ACCESS_REQUESTS_PATH, asked, {
    status: 201,
    schema: PeerAccessAnswerSchema,
  });
  const now = new Date();
  const row = await ctx.db
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
      provider_request_id: answer.requestId,
      status: answer.status,
      decision: null,
      checked_at: now,
      check_error: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await ctx.audit.append({
    type: 'federation.remote_request_sent',
    actor: { kind: 'user', id: caller.userId, orgId: caller.orgId },
    requestId,
    resources: [`${provider.nodeId}:${fields.resourceCode}`],
    data: {
      remoteRequestId: id,
      provider: provider.nodeId,
      providerRequestId: answer.requestId,
      applicationId: application.id,
      resourceCode: fields.resourceCode,
      items: [...new Set(fields.items)],
      purpose: fields.purpose,
    },
  });
  return presentRemoteRequest(row);
}
