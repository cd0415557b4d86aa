import { z } from 'zod';
import { AppError } from '../errors/index.js';
import { type AuthenticatedActor, authorize } from '../identity/index.js';
import { assertConfigCurrent } from './config-accept.js';
import { readHeldConfig, requireNode } from './node-store.js';
import type { PeerRowsRequest } from './peer-serve.js';
import { checkReceipt, PeerRowsAnswerSchema } from './receipt.js';
import { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';
import { activeNode } from './signed-request.js';

/** Query string of a cross-node read: the JSON page options of GET /resources/{code}/rows. */
export const RemoteRowsQuerySchema = z.strictObject({
  fields: z.string().max(5000).optional(),
  filter: z.string().max(50_000).optional(),
  sort: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(512).optional(),
});
export type RemoteRowsQuery = z.infer<typeof RemoteRowsQuerySchema>;

/** What a consumer node needs to read from a peer (as for its requests). */
export type PeerReadContext = RemoteRequestContext;

/**
 * A page of a resource held by another node, read for one of this node's applications (跨节点
 * 访问): the request is signed with this node's key and names the application and its
 * organisation; the provider node enforces its own grant and answers the page with a signed
 * receipt. The answer is checked (its signature, the receipt's signature, the page's SHA-256),
 * and the receipt is logged here (`federation.receipt`) before the page is passed on: both logs
 * hold the exchange, or the page does not leave. Returns the page as the provider released it.
 */
export async function readRemoteRows(
  ctx: PeerReadContext,
  actor: AuthenticatedActor,
  providerNodeId: string,
  resourceCode: string,
  query: RemoteRowsQuery,
  requestId: string,
): Promise<string> {
  authorize(actor, 'federation.remote_read');
  if (actor.kind !== 'application') throw new Error('unreachable: the policy allows applications only');
  const self = await requireNode(ctx.db);
  const config = assertConfigCurrent((await readHeldConfig(ctx.db))?.config);
  activeNode(config, self.node_id);
  const provider = activeNode(config, providerNodeId);
  if (provider.nodeId === self.node_id)
    throw new AppError(
      400,
      'bad_request',
      'The resource is on this node: read it at /api/v1/resources/{code}/rows',
    );
  const org = await ctx.db
    .selectFrom('organizations')
    .select(['id', 'name', 'kind', 'level', 'region_code'])
    .where('id', '=', actor.orgId)
    .executeTakeFirstOrThrow();
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'name'])
    .where('id', '=', actor.applicationId)
    .executeTakeFirstOrThrow();
  const asked: PeerRowsRequest = {
    org: {
      id: org.id,
      name: org.name,
      kind: org.kind as PeerRowsRequest['org']['kind'],
      level: org.level as PeerRowsRequest['org']['level'],
      regionCode: org.region_code,
    },
    application: { id: app.id, name: app.name },
    resourceCode,
    query,
  };
  const answer = await signedExchange(ctx, config, provider, '/api/v1/federation/peer/rows', asked, {
    status: 200,
    schema: PeerRowsAnswerSchema,
  });
  checkReceipt(answer, {
    provider,
    consumer: self.node_id,
    resource: resourceCode,
    application: app.id,
  });
  const { receipt, signature } = answer;
  await ctx.audit.append({
    type: 'federation.receipt',
    actor: { kind: 'application', id: `${actor.applicationId}/${actor.keyId}`, orgId: actor.orgId },
    requestId,
    resources: [`${provider.nodeId}:${resourceCode}`],
    data: {
      provider: provider.nodeId,
      resource: resourceCode,
      rows: receipt.rows,
      bytes: receipt.bytes,
      sha256: receipt.sha256,
      receipt,
      signature,
    },
  });
  return answer.page;
}
