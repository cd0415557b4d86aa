import { z } from 'zod';
import { catalogStats, importCatalog, importedFacts, requestPublish } from '../../../catalog/index.js';
import { AppError } from '../../../errors/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { recordSubmitted, reviewSetting } from './changes.js';
import { TAGS } from './params.js';

const UPLOAD_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'application/octet-stream',
];
// A catalog sheet of thousands of rows is a few megabytes; more than this is not a catalog.
const UPLOAD_LIMIT = 20 * 1024 * 1024;

const RejectedSchema = z.object({
  sheet: z.enum(['resources', 'items']),
  row: z.number().int(),
  code: z.string(),
  field: z.string().optional(),
  message: z.string(),
});
const ReportSchema = z.object({
  mode: z.enum(['valid-only', 'all-or-nothing']),
  total: z.number().int(),
  imported: z.array(z.object({ row: z.number().int(), code: z.string(), name: z.string() })),
  rejected: z.array(RejectedSchema),
  committed: z.boolean(),
});
const Bucket = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
const StatsSchema = z.object({
  total: z.number().int(),
  byProvider: z.array(Bucket),
  bySharingType: z.array(Bucket),
  byOpenType: z.array(Bucket),
  byGrade: z.array(Bucket),
  byUpdateCycle: z.array(Bucket),
  byMonth: z.array(Bucket),
});

/** Bulk import of catalog sheets (XLSX or CSV as the raw body) and the statistics behind the dashboards. */
export async function importRoutes(app: App, context: AppContext): Promise<void> {
  const { store, audit } = context;
  const setting = reviewSetting(context);
  await app.register(async (uploads: App) => {
    // Raw bodies for this plugin only: elsewhere a spreadsheet is still a 415.
    uploads.addContentTypeParser(
      UPLOAD_TYPES,
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
      (_request, body, done) => done(null, body),
    );
    uploads.post(
      '/api/v1/catalog/import',
      {
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags: TAGS.resources,
          summary: 'Import catalog entries from an XLSX or CSV sheet (raw body); rejected rows are reported',
          querystring: z.strictObject({
            mode: z.enum(['valid-only', 'all-or-nothing']).default('valid-only'),
            publish: z.enum(['true', 'false']).default('false'),
          }),
          response: { 200: ReportSchema, ...refusals },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body)) {
          throw new AppError(415, 'unsupported_media_type', `Send the sheet as ${UPLOAD_TYPES.join(' or ')}`);
        }
        const type = request.headers['content-type'] ?? '';
        // Where catalog review is required, publish=true imports drafts and submits each for review.
        const submit = request.query.publish === 'true' && setting.review;
        const publish = request.query.publish === 'true' && !submit;
        const report = await importCatalog(store.db, request.actor, request.body, {
          mode: request.query.mode,
          publish,
          ...(type.startsWith('text/csv') ? { format: 'csv' as const } : {}),
        });
        for (const { data, resources } of importedFacts(report, publish)) {
          await recordEvent(audit, request, 'catalog.imported', data, { resources });
        }
        for (const { code } of submit && report.committed ? report.imported : []) {
          const outcome = await requestPublish(store.db, request.actor, code, setting);
          if ('pending' in outcome) await recordSubmitted(audit, request, outcome.pending);
        }
        if (!report.committed) {
          throw new AppError(
            400,
            'import_rejected',
            `${report.rejected.length} rows were rejected; nothing was imported`,
            report,
          );
        }
        return report;
      },
    );
  });

  app.get(
    '/api/v1/catalog/stats',
    {
      config: { public: true },
      schema: {
        tags: TAGS.search,
        summary:
          'Counts of published resources by provider, sharing type, open type, grade, update cycle and month',
        response: { 200: StatsSchema, ...refusals },
      },
    },
    async (request) => catalogStats(store.db, request.actor),
  );
}
