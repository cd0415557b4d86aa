import { AppError } from '../errors/index.js';
import { assertConfigCurrent } from './config-accept.js';
import { readHeldConfig, readNode } from './node-store.js';
import { deliverRemoteRequest, deliveryUncertain } from './remote-request-deliver.js';
import { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';
import {
  PeerAccessRequestSchema,
  type PeerRequestStatus,
  PeerStatusAnswerSchema,
} from './remote-request-schema.js';
import { activeNode } from './signed-request.js';

/** Where a provider node answers its peers about their requests. */
export const PEER_REQUEST_STATUS_PATH = '/api/v1/federation/peer/access-requests/status';

/** The actor of the entries a decision learnt from a provider makes. */
export const REMOTE_REQUEST_ACTOR = { kind: 'system', id: 'federation-requests', orgId: null } as const;

const BATCH = 100;

/**
 * Sends again the remote requests whose delivery was uncertain, then asks the provider nodes where
 * this node's pending remote requests stand (signed, each provider
 * answering only for the requests this node filed), and records each decision with its grant
 * (items, period) or coded refusal, logged as `federation.remote_request_decided`. The consumer
 * asks, rather than the provider pushing: a consumer that was down learns the decision at its next
 * look, and the provider needs no address book of who to tell. Errors stay on the rows
 * (`checkError`); returns how many requests were decided.
 */
export async function followRemoteRequests(
  ctx: RemoteRequestContext,
  scope: { orgId?: string } = {},
): Promise<number> {
  let query = ctx.db
    .selectFrom('federation_remote_requests')
    .select(['id', 'provider_node_id', 'org_id', 'resource_code', 'provider_request_id'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(1000);
  if (scope.orgId) query = query.where('org_id', '=', scope.orgId);
  await deliverPending(ctx, scope);
  const pending = await query.execute();
  if (pending.length === 0) return 0;
  const held = (await readHeldConfig(ctx.db))?.config;
  const byProvider = new Map<string, typeof pending>();
  for (const row of pending)
    byProvider.set(row.provider_node_id, [...(byProvider.get(row.provider_node_id) ?? []), row]);
  let decided = 0;
  for (const [nodeId, rows] of byProvider) {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const ids = batch.map((r) => r.id);
      try {
        const config = assertConfigCurrent(held);
        const provider = activeNode(config, nodeId);
        const answer = await signedExchange(
          ctx,
          config,
          provider,
          PEER_REQUEST_STATUS_PATH,
          { remoteRequestIds: ids },
          { status: 200, schema: PeerStatusAnswerSchema },
        );
        const now = new Date();
        await ctx.db
          .updateTable('federation_remote_requests')
          .set({ checked_at: now, check_error: null })
          .where('id', 'in', ids)
          .execute();
        for (const status of answer.requests) {
          const row = batch.find((r) => r.id === status.remoteRequestId);
          if (row && status.status !== 'pending') decided += await record(ctx, nodeId, row, status);
        }
      } catch (error) {
        await ctx.db
          .updateTable('federation_remote_requests')
          .set({
            checked_at: new Date(),
            check_error: error instanceof Error ? error.message : String(error),
          })
          .where('id', 'in', ids)
          .execute();
      }
    }
  }
  return decided;
}

// Requests whose delivery was uncertain are sent again (the provider files a remoteRequestId once);
// a provider's refusal to file one is final (`failed`, its code kept).
async function deliverPending(ctx: RemoteRequestContext, scope: { orgId?: string }): Promise<void> {
  let query = ctx.db
    .selectFrom('federation_remote_requests')
    .select(['id', 'org_id', 'created_by', 'provider_node_id', 'payload'])
    .where('status', '=', 'sending')
    .orderBy('created_at')
    .limit(100);
  if (scope.orgId) query = query.where('org_id', '=', scope.orgId);
  const sending = await query.execute();
  if (sending.length === 0) return;
  const held = (await readHeldConfig(ctx.db))?.config;
  for (const row of sending) {
    try {
      const payload = PeerAccessRequestSchema.parse(
        typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      );
      await deliverRemoteRequest(
        ctx,
        assertConfigCurrent(held),
        {
          id: row.id,
          orgId: row.org_id,
          createdBy: row.created_by,
          providerNodeId: row.provider_node_id,
          payload,
        },
        null,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = !deliveryUncertain(error);
      await ctx.db
        .updateTable('federation_remote_requests')
        .set({
          checked_at: new Date(),
          check_error: final && error instanceof AppError ? `${error.code}: ${message}` : message,
          ...(final && { status: 'failed', updated_at: new Date() }),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .execute();
    }
  }
}

async function record(
  ctx: RemoteRequestContext,
  nodeId: string,
  row: { id: string; org_id: string; resource_code: string; provider_request_id: string | null },
  status: PeerRequestStatus,
): Promise<number> {
  // Only the first to see the decision records and logs it (several processes may be asking).
  const updated = await ctx.db
    .updateTable('federation_remote_requests')
    .set({
      status: status.status,
      decision: status.decision === null ? null : JSON.stringify(status.decision),
      updated_at: new Date(),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return 0;
  const grant = status.decision?.grant ?? null;
  const rejection = status.decision?.rejection ?? null;
  await ctx.audit.append({
    type: 'federation.remote_request_decided',
    actor: REMOTE_REQUEST_ACTOR,
    resources: [`${nodeId}:${row.resource_code}`],
    data: {
      remoteRequestId: row.id,
      orgId: row.org_id,
      provider: nodeId,
      providerRequestId: status.requestId,
      status: status.status,
      grantId: grant?.id ?? null,
      items: grant ? grant.items.map((i) => `${i.name}:${i.mask}`) : [],
      validUntil: grant?.validUntil ?? null,
      reason: rejection?.reason ?? null,
      text: rejection?.text ?? null,
    },
  });
  return 1;
}

/**
 * Follows the pending remote requests every `seconds` (the list asks too, on each look): a
 * decision reaches the consumer node's log and its people's list without anyone looking. A node
 * not in a federation idles. Returns the stop function.
 */
export function startRemoteRequestFollower(
  ctx: RemoteRequestContext,
  seconds = 60,
  log: (error: unknown) => void = () => undefined,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      if (await readNode(ctx.db)) await followRemoteRequests(ctx);
    } catch (error) {
      log(error);
    }
    if (!stopped) {
      timer = setTimeout(run, seconds * 1000);
      timer.unref();
    }
  };
  timer = setTimeout(run, seconds * 1000);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
