import { z } from 'zod';
import { AppError } from '../errors/index.js';
import { deliverRows, FormatSchema, type QueryContext, RowsQuerySchema } from '../query/index.js';
import type { FederationNode } from './config-schema.js';
import { PEER_BODY_MAX_BYTES } from './peer-http.js';
import { PeerAppSchema, PeerOrgSchema } from './peer-principals.js';
import { peerRun, receiptOf, type ServingNode } from './peer-serve-common.js';
import type { SignedReceipt } from './receipt.js';
import { parsePeerBody } from './remote-request-receive.js';

/** The file formats of GET /resources/{code}/rows (a JSON page is a read, not an export). */
export const ExportFormatSchema = FormatSchema.exclude(['json']);

/** What a consumer node asks of a provider node for one of its applications: a file of rows. */
export const PeerExportRequestSchema = z.strictObject({
  org: PeerOrgSchema,
  application: PeerAppSchema,
  resourceCode: z.string().min(1).max(200),
  query: z.strictObject({
    ...RowsQuerySchema.pick({ fields: true, filter: true, sort: true, limit: true, bom: true, header: true })
      .shape,
    format: ExportFormatSchema,
  }),
});
export type PeerExportRequest = z.infer<typeof PeerExportRequestSchema>;

/** An export as the provider answers it: the file's bytes, their media type, and the signed receipt. */
export interface PeerExport extends SignedReceipt {
  file: Buffer;
  contentType: string;
}

/**
 * A provider node answers a peer's export for one of its applications (已验签 by the route): the
 * file is made by this node's own pipeline exactly as a local export (grant, export right, items,
 * masks, row filter, quota, its release entries) and held whole, since the receipt — the SHA-256
 * of the file's exact bytes — is signed before the first byte leaves. A file over `maxBytes` is
 * cut there (its release completes as aborted, the rows read are charged) and refused
 * (`export_too_large`, 413): narrow it with fields, a filter or a limit.
 */
export async function servePeerExport(
  ctx: QueryContext,
  self: ServingNode,
  sender: FederationNode,
  body: Buffer,
  ip: string,
  maxBytes = PEER_BODY_MAX_BYTES,
): Promise<PeerExport> {
  const asked = parsePeerBody(PeerExportRequestSchema, body, 'cross-node export');
  const run = await peerRun(ctx, sender, asked, ip);
  const delivery = await deliverRows(run.ctx, run.caller, asked.resourceCode, asked.query);
  if (delivery.kind !== 'stream') throw new Error('a file was asked');
  const file = await held(delivery.body, maxBytes);
  const signed = await receiptOf(self, sender, run, {
    kind: 'export',
    format: asked.query.format,
    resource: asked.resourceCode,
    application: asked.application.id,
    released: file,
  });
  return { file, contentType: delivery.contentType, ...signed };
}

// The whole file; the release's completion entry is written when the stream ends (or is cut).
async function held(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    // Leaving the loop ends the stream: the release completes as aborted with what was read.
    if (size > maxBytes)
      throw new AppError(
        413,
        'export_too_large',
        `A cross-node export carries at most ${maxBytes} bytes: ask for fewer fields or rows`,
        { maxBytes },
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
