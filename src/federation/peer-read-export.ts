import type { z } from 'zod';
import type { AuthenticatedActor } from '../identity/index.js';
import { FORMAT_MEDIA, FormatSchema, RowsQuerySchema } from '../query/index.js';
import { type PeerReadContext, RemoteRowsQuerySchema } from './peer-read.js';
import { acceptReceipt, remoteParties } from './peer-read-common.js';
import type { PeerExportRequest } from './peer-serve-export.js';
import { RECEIPT_HEADER, receiptFromHeader } from './receipt.js';
import { signedExchangeRaw } from './remote-request-exchange.js';

/**
 * Query string of GET /federation/nodes/{node}/resources/{code}/rows: a JSON page (the default)
 * or, with another format, the whole result as a file, as GET /resources/{code}/rows.
 */
export const RemoteReadQuerySchema = RemoteRowsQuerySchema.extend({
  format: FormatSchema.default('json'),
  bom: RowsQuerySchema.shape.bom,
  header: RowsQuerySchema.shape.header,
});
export type RemoteReadQuery = z.infer<typeof RemoteReadQuerySchema>;

/** The options of a cross-node export. */
export type RemoteExportQuery = PeerExportRequest['query'];

/** An export as the consumer passes it on: the provider's bytes, with this node's media type and name. */
export interface RemoteExport {
  file: Buffer;
  contentType: string;
  filename: string;
  sha256: string;
}

/**
 * A file of a resource held by another node, exported for one of this node's applications (跨节点
 * 导出): as a read of a page, but the provider answers the file as the body with its signed
 * receipt in a header the response's signature covers. The signature, the receipt and the
 * file's SHA-256 are checked and the receipt logged here (`federation.receipt`, with the format)
 * before the file is passed on.
 */
export async function exportRemoteRows(
  ctx: PeerReadContext,
  actor: AuthenticatedActor,
  providerNodeId: string,
  resourceCode: string,
  query: RemoteExportQuery,
  requestId: string,
): Promise<RemoteExport> {
  const parties = await remoteParties(ctx, actor, providerNodeId, 'read it at /api/v1/resources/{code}/rows');
  const { config, provider, org, application } = parties;
  const asked: PeerExportRequest = { org, application, resourceCode, query };
  // A whole file takes longer to make than a page.
  const slow = { ...ctx, timeoutMs: ctx.timeoutMs ?? 120_000 };
  const answer = await signedExchangeRaw(slow, config, provider, '/api/v1/federation/peer/export', asked, {
    status: 200,
    covering: [RECEIPT_HEADER],
  });
  const signed = receiptFromHeader(answer.headers[RECEIPT_HEADER]);
  const expected = { resource: resourceCode, kind: 'export' as const, format: query.format };
  await acceptReceipt(ctx, parties, expected, signed, answer.body, requestId);
  // The media type and name this node gives the format (the provider's Content-Type is not signed).
  const media = FORMAT_MEDIA[query.format];
  return {
    file: answer.body,
    contentType: media.type,
    filename: `${resourceCode}.${media.ext}`,
    sha256: signed.receipt.sha256,
  };
}
