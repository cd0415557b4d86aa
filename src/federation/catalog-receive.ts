import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { applyReport } from './catalog-apply.js';
import { type CatalogAck, CatalogReportSchema } from './catalog-schema.js';
import { assertConfigCurrent } from './config-accept.js';
import { readHeldConfig, requireNode } from './node-store.js';
import { type NonceCache, verifyRequest } from './signed-request.js';

/**
 * Takes a child node's catalog report (POST /api/v1/federation/catalog/report): signed by an
 * active member whose parent is this node, about itself (and the nodes below it), applied whole
 * or not at all. Returns the acknowledgement to sign and send back.
 */
export async function receiveCatalogReport(
  db: Kysely<Database>,
  nonces: NonceCache,
  request: { method: string; targetUri: string; headers: Record<string, string>; body: Buffer },
  now: Date = new Date(),
): Promise<CatalogAck> {
  const self = await requireNode(db);
  const config = assertConfigCurrent((await readHeldConfig(db))?.config, now);
  const sender = await verifyRequest(request, { config, nonces, now });
  if (sender.parentNodeId !== self.node_id)
    throw new AppError(
      403,
      'federation_catalog_not_own',
      `Node ${sender.nodeId} does not report to this node`,
      {
        nodeId: sender.nodeId,
      },
    );
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    body = undefined; // not JSON: refused below like any malformed report
  }
  const parsed = CatalogReportSchema.safeParse(body);
  if (!parsed.success || parsed.data.nodeId !== sender.nodeId)
    throw new AppError(400, 'bad_request', 'The catalog report is malformed', {
      issues: parsed.success ? 1 : parsed.error.issues.length,
    });
  return applyReport(db, self.node_id, config, sender, parsed.data, now);
}
