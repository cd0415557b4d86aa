import { z } from 'zod';
import type { AuthenticatedActor } from '../identity/index.js';
import { acceptReceipt, remoteParties } from './peer-read-common.js';
import type { PeerRowsRequest } from './peer-serve.js';
import { PeerRowsAnswerSchema } from './receipt.js';
import { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';

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
  const parties = await remoteParties(ctx, actor, providerNodeId, 'read it at /api/v1/resources/{code}/rows');
  const { config, provider, org, application } = parties;
  const asked: PeerRowsRequest = { org, application, resourceCode, query };
  const answer = await signedExchange(ctx, config, provider, '/api/v1/federation/peer/rows', asked, {
    status: 200,
    schema: PeerRowsAnswerSchema,
  });
  await acceptReceipt(ctx, parties, { resource: resourceCode, kind: 'rows' }, answer, answer.page, requestId);
  return answer.page;
}
