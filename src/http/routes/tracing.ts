import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { getResource } from '../../catalog/index.js';
import { authorize } from '../../identity/index.js';
import {
  MAX_LEAK_BYTES,
  readBounded,
  saveTracingSettings,
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
export async function tracingRoutes(app: App, { store, audit, query }: AppContext): Promise<void> {
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
      async (request) => {
        authorize(request.actor, 'trace.run');
        const body = request.body as Readable | undefined;
        const file = body ? await readBounded(body) : Buffer.alloc(0);
        const sha256 = createHash('sha256').update(file).digest('hex');
        // The attempt is logged whatever it finds (a refusal included): tracing reads the log of releases.
        let report: Awaited<ReturnType<typeof traceLeak>> | undefined;
        try {
          report = await traceLeak(store.db, query.traceSecret, file);
          return report;
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
            },
            { resources: report?.resources.map((r) => r.code) ?? [] },
          );
        }
      },
    );
  });
}
