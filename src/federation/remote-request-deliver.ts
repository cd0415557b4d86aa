import { AppError } from '../errors/index.js';
import type { FederationConfig } from './config-schema.js';
import { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';
import { PeerAccessAnswerSchema, type PeerAccessRequest } from './remote-request-schema.js';
import { activeNode } from './signed-request.js';

/** Where a provider node takes its peers' access requests. */
export const PEER_ACCESS_REQUESTS_PATH = '/api/v1/federation/peer/access-requests';

/** A remote request as delivery needs it. */
export interface Deliverable {
  id: string;
  orgId: string;
  createdBy: string;
  providerNodeId: string;
  payload: PeerAccessRequest;
}

/**
 * Whether a failed delivery may have been filed all the same, or not reached the provider: the
 * request is kept and sent again (the provider files a `remoteRequestId` once). A provider's
 * refusal (a 4xx with one of our codes) is final.
 */
export function deliveryUncertain(error: unknown): boolean {
  return !(error instanceof AppError) || error.status >= 500;
}

/**
 * Sends a remote request to its provider node (signed) and records the provider's id and status;
 * logs `federation.remote_request_sent` under the person who applied. Throws what the exchange
 * throws; the caller decides whether to keep the request.
 */
export async function deliverRemoteRequest(
  ctx: RemoteRequestContext,
  config: FederationConfig,
  request: Deliverable,
  requestId: string | null,
): Promise<void> {
  const provider = activeNode(config, request.providerNodeId);
  const answer = await signedExchange(ctx, config, provider, PEER_ACCESS_REQUESTS_PATH, request.payload, {
    status: 201,
    schema: PeerAccessAnswerSchema,
  });
  const now = new Date();
  const updated = await ctx.db
    .updateTable('federation_remote_requests')
    .set({
      provider_request_id: answer.requestId,
      status: answer.status,
      checked_at: now,
      check_error: null,
      updated_at: now,
    })
    .where('id', '=', request.id)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  // Another process delivered it first (the provider answered both with the one request).
  if (Number(updated.numUpdatedRows) !== 1) return;
  const asked = request.payload.request;
  await ctx.audit.append({
    type: 'federation.remote_request_sent',
    actor: { kind: 'user', id: request.createdBy, orgId: request.orgId },
    requestId,
    resources: [`${provider.nodeId}:${asked.resourceCode}`],
    data: {
      remoteRequestId: request.id,
      provider: provider.nodeId,
      providerRequestId: answer.requestId,
      applicationId: request.payload.application.id,
      resourceCode: asked.resourceCode,
      items: [...new Set(asked.items)],
      purpose: asked.purpose,
    },
  });
}
