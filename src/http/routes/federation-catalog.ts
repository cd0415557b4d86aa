import { z } from 'zod';
import {
  CatalogAckSchema,
  listCatalogNodes,
  loadNodeKey,
  REPORT_MAX_BYTES,
  readReportState,
  receiveCatalogReport,
  requireNode,
  signResponse,
  storeNonceCache,
} from '../../federation/index.js';
import { authorize } from '../../identity/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
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
  let key: ReturnType<typeof loadNodeKey> | undefined;
  const nodeKey = () => {
    key ??= loadNodeKey(config.HUITONG_DATA_DIR);
    return key;
  };
  const nonces = storeNonceCache(db);

  // The report is signed over its exact bytes: this route keeps the body as received.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
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
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : String(v ?? ''),
          ]),
        );
        const targetUri = new URL(request.url, node.url).toString();
        const ack = await receiveCatalogReport(db, nonces, {
          method: request.method,
          targetUri,
          headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        if (ack.upserted + ack.retired > 0)
          await recordEvent(audit, request, 'federation.catalog_reported', {
            nodeId: ack.reporter,
            to: ack.to,
            upserted: ack.upserted,
            retired: ack.retired,
            unchanged: ack.unchanged,
          });
        const body = Buffer.from(JSON.stringify(ack));
        const signed = await signResponse(
          { nodeId: node.node_id, key: (await nodeKey()).key },
          { status: 200, headers: { 'content-type': 'application/json' }, body },
          { method: 'POST', url: targetUri },
        );
        return reply.code(200).headers(signed).send(body);
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
