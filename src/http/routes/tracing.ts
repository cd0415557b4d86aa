import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { getResource } from '../../catalog/index.js';
import { authorize } from '../../identity/index.js';
import { pdfFont } from '../../pdf/index.js';
import {
  EvidenceQuerySchema,
  evidenceHtml,
  evidencePdf,
  evidenceProofs,
  MAX_LEAK_BYTES,
  readBounded,
  saveTracingSettings,
  type TraceReport,
  TraceReportSchema,
  TracingSettingsInputSchema,
  TracingSettingsSchema,
  traceLeak,
  tracingSettingsOf,
} from '../../tracing/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { CodeParams } from './catalog/params.js';
import { refusals } from './schemas.js';

const tags = ['tracing'];
/** The leaked file's types: CSV, JSON (or NDJSON), XLSX, or any bytes (the content decides). */
const LEAK_TYPES = [
  'text/csv',
  'text/plain',
  'application/json',
  'application/x-ndjson',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

/** Leak tracing (数据溯源, docs/tracing.md): the stewards' marking settings and the security officer's trace. */
export async function tracingRoutes(app: App, { store, audit, query, config }: AppContext): Promise<void> {
  const stewardResource = async (actor: Parameters<typeof getResource>[1], code: string) => {
    const resource = await getResource(store.db, actor, code);
    authorize(actor, 'resource.manage', { orgId: resource.provider.id, noun: 'Resource' });
    return resource;
  };

  app.get(
    '/api/v1/resources/:code/tracing',
    {
      schema: {
        tags,
        summary: 'Which items carry leak-tracing marks, with their tolerance (provider’s steward)',
        params: CodeParams,
        response: { 200: TracingSettingsSchema, ...refusals },
      },
    },
    async (request) => tracingSettingsOf(store.db, await stewardResource(request.actor, request.params.code)),
  );

  app.put(
    '/api/v1/resources/:code/tracing',
    {
      schema: {
        tags,
        summary: 'Set the key item and the tolerant items that carry leak-tracing marks (provider’s steward)',
        description:
          'Every delivery of the resource to a recipient then moves each tolerant value by at most its tolerance to carry that recipient’s code; other items are never altered. Replaces the settings; items: [] turns marking off.',
        params: CodeParams,
        body: TracingSettingsInputSchema,
        response: { 200: TracingSettingsSchema, ...refusals },
      },
    },
    async (request) => {
      const resource = await stewardResource(request.actor, request.params.code);
      const by = request.actor.kind === 'user' ? request.actor.userId : 'unknown';
      const settings = await saveTracingSettings(store.db, resource, request.body, by);
      await recordEvent(
        audit,
        request,
        'tracing.settings_set',
        {
          keyItem: settings.keyItem,
          items: settings.items.map((i) => `${i.item} (${i.kind} ± ${i.tolerance})`),
        },
        { resources: [resource.code] },
      );
      return settings;
    },
  );

  // A scope of its own: the leaked file arrives as a stream, read up to MAX_LEAK_BYTES and refused
  // beyond, and its parsers must not replace the JSON parser of every other route.
  await app.register(async (scope: App) => {
    scope.removeContentTypeParser('application/json');
    scope.removeContentTypeParser('text/plain');
    for (const type of LEAK_TYPES)
      scope.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    // The attempt is logged whatever it finds (a refusal included): tracing reads the log of releases.
    const traced = async <T>(
      request: FastifyRequest,
      format: 'json' | 'html' | 'pdf',
      then: (report: TraceReport, sha256: string) => Promise<T>,
    ): Promise<T> => {
      authorize(request.actor, 'trace.run');
      const body = request.body as Readable | undefined;
      const file = body ? await readBounded(body) : Buffer.alloc(0);
      const sha256 = createHash('sha256').update(file).digest('hex');
      let report: TraceReport | undefined;
      try {
        report = await traceLeak(store.db, query.traceSecret, file);
        return await then(report, sha256);
      } finally {
        await recordEvent(
          audit,
          request,
          'tracing.traced',
          {
            sha256,
            bytes: file.length,
            rows: report?.rows ?? null,
            accused: report?.suspects.filter((s) => s.accused).map((s) => s.recipient) ?? [],
            outcome: report ? 'traced' : 'refused',
            format,
          },
          { resources: report?.resources.map((r) => r.code) ?? [] },
        );
      }
    };

    scope.post(
      '/api/v1/tracing/trace',
      {
        schema: {
          tags,
          summary:
            'Trace a leaked CSV, XLSX or JSON file to the recipients whose marks it carries (security officer)',
          description: `The body is the file (at most ${MAX_LEAK_BYTES} bytes; GBK detected). Answers the ranked suspects with their score and the bound on the chance an innocent recipient scores as high; 400 trace_no_match when the file shares no key and tolerant column with a marked release, 400 empty_file when it is empty.`,
          response: { 200: TraceReportSchema, ...refusals },
        },
      },
      async (request) => traced(request, 'json', async (report) => report),
    );

    scope.post(
      '/api/v1/tracing/evidence',
      {
        schema: {
          tags,
          summary:
            'Trace a leaked file and answer the evidence report to file, HTML or PDF (security officer)',
          description:
            "The same trace as POST /tracing/trace, as a report for an investigation: the file's digest, the ranking, and the inclusion proofs of the suspects' release entries against a checkpoint signed for it, verifiable offline with the log's public key. 503 pdf_font_unavailable for a PDF on a machine with no Chinese font.",
          querystring: EvidenceQuerySchema,
          produces: ['text/html', 'application/pdf'],
        },
      },
      async (request, reply) => {
        const { format } = request.query;
        authorize(request.actor, 'trace.run');
        // The font is looked for first: a PDF that cannot be printed costs no trace.
        const font = format === 'pdf' ? pdfFont(config.HUITONG_PDF_FONT) : undefined;
        const body = await traced(request, format, async (report, sha256) => {
          // A checkpoint signed now covers the newest releases, so that every one can be proved.
          await audit.checkpoint();
          const facts = {
            sha256,
            tracedAt: new Date().toISOString(),
            by: request.actor.kind === 'user' ? request.actor.userId : request.actor.kind,
            proofs: await evidenceProofs(store.db, report),
          };
          return font ? evidencePdf(report, facts, font) : evidenceHtml(report, facts);
        });
        return reply
          .type(format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8')
          .header('content-disposition', `attachment; filename="trace-evidence.${format}"`)
          .send(body);
      },
    );
  });
}
