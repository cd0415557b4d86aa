import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors/index.js';
import { type Caller, deliverRows, type QueryContext } from '../query/index.js';
import type { FederationNode } from './config-schema.js';
import { mirrorPeerApplication, PeerAppSchema, PeerOrgSchema } from './peer-principals.js';
import { type PeerRowsAnswer, type Receipt, sha256Hex, signReceipt } from './receipt.js';

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

function parseRequest(body: Buffer): PeerRowsRequest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = PeerRowsRequestSchema.safeParse(value);
  if (!parsed.success)
    throw new AppError(400, 'bad_request', 'The cross-node read is malformed', {
      issues: parsed.error.issues.length,
    });
  return parsed.data;
}

/**
 * A provider node answers a peer's read for one of its applications (已验签 by the route): the
 * application is mirrored here, and the page goes through this node's own pipeline — its grant,
 * items, masks, row filter, period and quota, the filters pushed into its source, its release
 * entries — exactly as a local consumer's read. The answer carries a receipt signed with this
 * node's key: the SHA-256 of the page and where its release sits in this node's log.
 */
export async function servePeerRows(
  ctx: QueryContext,
  self: { nodeId: string; key: KeyObject },
  sender: FederationNode,
  body: Buffer,
  ip: string,
): Promise<PeerRowsAnswer> {
  const asked = parseRequest(body);
  const principal = await mirrorPeerApplication(ctx.store.db, sender, asked.org, asked.application);
  const keyId = `peer:${sender.nodeId}`;
  const caller: Caller = {
    actor: {
      kind: 'application',
      applicationId: principal.applicationId,
      keyId,
      orgId: principal.orgId,
      roles: ['analyst'],
    },
    ip,
    requestId: randomUUID(),
  };
  const delivery = await deliverRows(ctx, caller, asked.resourceCode, { ...asked.query, format: 'json' });
  if (delivery.kind !== 'json' || delivery.status) throw new Error('a JSON page was asked');
  const page = delivery.body;
  const where = await releaseEntries(
    ctx,
    `${principal.applicationId}/${keyId}`,
    asked.resourceCode,
    caller.requestId,
  );
  // The latest signed checkpoint, not one signed for this read: signing per read would serialise
  // every read on the log's head. The entry's inclusion is proven against any later checkpoint
  // (GET /api/v1/audit/proof/inclusion?index=logIndex&size=…).
  const checkpoint = await ctx.audit.latestCheckpoint();
  const rows = (JSON.parse(page) as { rows?: unknown[] }).rows?.length ?? 0;
  const receipt: Receipt = {
    v: 1,
    provider: self.nodeId,
    consumer: sender.nodeId,
    requestId: caller.requestId,
    resource: asked.resourceCode,
    application: asked.application.id,
    rows,
    bytes: Buffer.byteLength(page),
    sha256: sha256Hex(page),
    logIndex: where.start,
    completeIndex: where.complete,
    checkpoint: checkpoint
      ? {
          treeSize: checkpoint.treeSize,
          rootHash: checkpoint.rootHash.toString('base64'),
          note: checkpoint.note,
        }
      : null,
    time: new Date().toISOString(),
  };
  return { page, receipt, signature: signReceipt(self.key, receipt) };
}

// The release's start and completion entries, found by the request id the read ran under.
async function releaseEntries(ctx: QueryContext, actorId: string, resource: string, requestId: string) {
  const recent = await ctx.audit.entries(
    { type: ['data.release.start', 'data.release.complete'], actorId, resource },
    // Each read of this application adds two entries: the newest 200 (a page at most) hold this
    // one's unless some 100 reads of the same application and resource completed since.
    { limit: 200 },
    'desc',
  );
  const start = recent.items.find((e) => e.type === 'data.release.start' && e.requestId === requestId);
  if (!start) throw new Error('the release entry of a read just made is missing');
  const complete = recent.items.find((e) => e.type === 'data.release.complete' && e.ref === start.index);
  return { start: start.index, complete: complete?.index ?? null };
}
