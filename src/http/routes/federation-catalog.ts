import { z } from 'zod';
import {
  CatalogAckSchema,
  listCatalogNodes,
  REPORT_MAX_BYTES,
  readReportState,
  receiveCatalogReport,
  requireNode,
  storeNonceCache,
} from '../../federation/index.js';
import { authorize } from '../../identity/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, sendSigned, signedMessage, signedRoutes } from './federation-signed.js';
import { refusals } from './schemas.js';

const tags = ['federation'];

const CatalogNodeSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  level: z.string(),
  viaNodeId: z.string(),
  entries: z.number().int(),
  lastSyncedAt: z.string().nullable(),
  stale: z.boolean(),
});

const ReportStateSchema = z.object({
  parentNodeId: z.string(),
  cursor: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Catalog reporting (目录上报与汇聚): the endpoint a child node reports its catalog changes to
 * (signed both ways), and the nodes whose catalogs this node holds, with their last synchronisation.
 */
export async function federationCatalogRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  const nonces = storeNonceCache(db);

  await signedRoutes(app, (scoped) => {
    scoped.post(
      '/api/v1/federation/catalog/report',
      {
        config: { public: true },
        bodyLimit: REPORT_MAX_BYTES,
        schema: {
          tags,
          summary:
            'A child node reports its catalog changes (signed, RFC 9421); answered by a signed acknowledgement',
          response: { 200: CatalogAckSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const node = await requireNode(db);
        const message = signedMessage(request, node);
        const ack = await receiveCatalogReport(db, nonces, message);
        if (ack.upserted + ack.retired > 0)
          await recordEvent(audit, request, 'federation.catalog_reported', {
            nodeId: ack.reporter,
            to: ack.to,
            upserted: ack.upserted,
            retired: ack.retired,
            unchanged: ack.unchanged,
          });
        return sendSigned(reply, { nodeId: node.node_id, key: (await nodeKey()).key }, message, ack);
      },
    );
  });

  app.get(
    '/api/v1/federation/catalog/nodes',
    {
      schema: {
        tags,
        summary:
          "The nodes whose catalogs this node holds (entries, last synchronisation, stale) and this node's own reporting",
        response: {
          200: z.object({ report: ReportStateSchema.nullable(), items: z.array(CatalogNodeSchema) }),
          ...refusals,
        },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.read');
      const node = await requireNode(db);
      const state = node.parent_node_id ? await readReportState(db) : undefined;
      return {
        report:
          state && node.parent_node_id
            ? {
                parentNodeId: node.parent_node_id,
                cursor: state.cursor,
                lastAttemptAt: iso(state.lastAttemptAt),
                lastSuccessAt: iso(state.lastSuccessAt),
                lastErrorCode: state.lastErrorCode,
                lastError: state.lastError,
                lastErrorAt: iso(state.lastErrorAt),
              }
            : null,
        items: await listCatalogNodes(db),
      };
    },
  );
}
