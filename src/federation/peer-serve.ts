import { z } from 'zod';
import { deliverRows, type QueryContext } from '../query/index.js';
import type { FederationNode } from './config-schema.js';
import { PeerAppSchema, PeerOrgSchema } from './peer-principals.js';
import { peerRun, receiptOf, type ServingNode } from './peer-serve-common.js';
import type { PeerRowsAnswer } from './receipt.js';
import { parsePeerBody } from './remote-request-receive.js';

/** What a consumer node asks of a provider node for one of its applications: a page of rows. */
export const PeerRowsRequestSchema = z.strictObject({
  org: PeerOrgSchema,
  application: PeerAppSchema,
  resourceCode: z.string().min(1).max(200),
  query: z.strictObject({
    fields: z.string().max(5000).optional(),
    filter: z.string().max(50_000).optional(),
    sort: z.string().max(1000).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: z.string().max(512).optional(),
  }),
});
export type PeerRowsRequest = z.infer<typeof PeerRowsRequestSchema>;

/**
 * A provider node answers a peer's read for one of its applications (已验签 by the route): the
 * application is mirrored here, and the page goes through this node's own pipeline — its grant,
 * items, masks, row filter, period and quota, the filters pushed into its source, its release
 * entries — exactly as a local consumer's read. The answer carries a receipt signed with this
 * node's key: the SHA-256 of the page and where its release sits in this node's log.
 */
export async function servePeerRows(
  ctx: QueryContext,
  self: ServingNode,
  sender: FederationNode,
  body: Buffer,
  ip: string,
): Promise<PeerRowsAnswer> {
  const asked = parsePeerBody(PeerRowsRequestSchema, body, 'cross-node read');
  const run = await peerRun(ctx, sender, asked, ip);
  const delivery = await deliverRows(run.ctx, run.caller, asked.resourceCode, {
    ...asked.query,
    format: 'json',
  });
  if (delivery.kind !== 'json' || delivery.status) throw new Error('a JSON page was asked');
  const page = delivery.body;
  const signed = await receiptOf(self, sender, run, {
    kind: 'rows',
    resource: asked.resourceCode,
    application: asked.application.id,
    released: page,
  });
  return { page, ...signed };
}
