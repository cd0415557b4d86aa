import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../errors/index.js';
import {
  type Caller,
  CheckReportSchema,
  ColumnTypeSchema,
  type Delivery,
  deliverRows,
  deliverSql,
  deliverStatistics,
  HeldAnswerSchema,
  RowsQuerySchema,
  SqlQuerySchema,
  SqlStatisticsSchema,
  StatisticsAnswerSchema,
  StatisticsQuerySchema,
  VerifyClaimSchema,
  verifyClaim,
} from '../../query/index.js';
import type { App, AppContext } from '../types.js';
import { CodeParams } from './catalog/params.js';
import { peerReadContext, remoteRowsOf } from './remote-rows.js';
import { refusals } from './schemas.js';

const tags = ['data'];

// The JSON answers, for the OpenAPI document and typed clients (the body itself is built by
// query/ and sent as is); the other formats stream a file with Content-Disposition instead.
const Columns = z.array(z.object({ name: z.string(), type: ColumnTypeSchema }));
const Row = z.record(z.string(), z.unknown());
export const RowsPage = z
  .object({
    resource: z.string(),
    columns: Columns,
    rows: z.array(Row),
    nextCursor: z.string().nullable(),
    disputed: z
      .array(z.number().int())
      .describe('indexes in `rows` of the rows under an objection not yet confirmed (异议中)'),
  })
  .describe('format=json: one page of rows; other formats stream the whole result as a file');
const SqlAnswer = z
  .object({
    columns: Columns,
    rows: z.array(Row),
    truncated: z.boolean(),
    check: CheckReportSchema.optional().describe('sandbox mode (可用不可见): the output checks passed'),
    statistics: SqlStatisticsSchema.optional(),
  })
  .describe(
    'format=json: the rows (at most `limit`); other formats stream the whole result as a file. Under a statistics grant: one row per listed group, noisy, with `statistics`',
  );
const Redirect = z.null().describe('See Other: the Location header names where the method is served');

/** The caller of a data request, as the pipeline needs it. */
export function callerOf(request: FastifyRequest): Caller {
  return {
    actor: request.actor,
    ip: request.ip,
    requestId: String(request.id),
    readOnly: request.method === 'GET' || request.method === 'HEAD',
  };
}

/** Sends a delivery of query/: its JSON as built, or its file as a stream. */
export function send(reply: FastifyReply, delivery: Delivery) {
  reply.header('cache-control', 'no-store');
  if (delivery.kind === 'json')
    return reply
      .code(delivery.status ?? 200)
      .type('application/json; charset=utf-8')
      .serializer((b: unknown) => b as string)
      .send(delivery.body);
  const filename = encodeURIComponent(delivery.filename);
  reply.type(delivery.contentType).header('content-disposition', `attachment; filename*=UTF-8''${filename}`);
  // A Readable from the generator: Fastify pipes it with back-pressure and ends the generator
  // (so the release's completion entry is written) when the client goes away.
  return reply.send(Readable.from(delivery.body, { objectMode: false }));
}

/** The data routes: the one way data leaves the platform, all through query/. */
export async function queryRoutes(app: App, context: AppContext): Promise<void> {
  const { query } = context;
  // Other nodes' resources in SQL are read through the federation's cross-node read.
  const remote = remoteRowsOf(peerReadContext(context));
  app.get(
    '/api/v1/resources/:code/rows',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Rows of one resource: the items, rows and masks your access allows; JSON pages or a streamed file',
        params: CodeParams,
        querystring: RowsQuerySchema,
        response: { 200: RowsPage, ...refusals, 429: refusals[400] },
      },
    },
    async (request, reply) =>
      send(reply, await deliverRows(query, callerOf(request), request.params.code, request.query)),
  );

  app.post(
    '/api/v1/query',
    {
      schema: {
        tags,
        summary:
          'One SELECT across resources (DuckDB sandbox); JSON or a streamed file. Over a sandbox grant (可用不可见) only checked aggregates leave; an answer that fails the checks is held for release review (202)',
        body: SqlQuerySchema,
        response: {
          200: SqlAnswer,
          202: HeldAnswerSchema.describe(
            'sandbox mode: the answer is held for the provider steward’s review',
          ),
          ...refusals,
          429: refusals[400],
          502: refusals[400],
        },
      },
    },
    // The context is taken per request: tests and operators change its settings on the fly.
    async (request, reply) =>
      // A context that holds its own reader keeps it (a test stands a misbehaving peer in).
      send(
        reply,
        await deliverSql({ ...query, remote: query.remote ?? remote }, callerOf(request), request.body),
      ),
  );

  app.post(
    '/api/v1/resources/:code/statistics',
    {
      schema: {
        tags,
        summary:
          '统计: differentially private COUNT, SUM, AVG (grouped over a public list); spends ε of a statistics grant',
        params: CodeParams,
        body: StatisticsQuerySchema,
        response: { 200: StatisticsAnswerSchema, ...refusals, 429: refusals[400] },
      },
    },
    async (request, reply) =>
      send(reply, await deliverStatistics(query, callerOf(request), request.params.code, request.body)),
  );

  // The access URLs that the DCAT-AP, CKAN and Frictionless views publish for each sharing method.
  app.get(
    '/api/v1/resources/:code/access/:method',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Where a sharing method is served: API → rows as JSON, file → rows as CSV, verification → the verify endpoint',
        params: z.strictObject({
          code: CodeParams.shape.code,
          method: z.enum(['api', 'file', 'subscription', 'verification']),
        }),
        response: { 303: Redirect, ...refusals },
      },
    },
    async (request, reply) => {
      const base = `/api/v1/resources/${request.params.code}`;
      switch (request.params.method) {
        case 'api':
          return reply.redirect(`${base}/rows`, 303);
        case 'file':
          return reply.redirect(`${base}/rows?format=csv&bom=1`, 303);
        case 'verification':
          return reply.redirect(`/api/docs#/data/post_api_v1_resources__code__verify`, 303);
        default:
          throw new NotFoundError('Subscription delivery', 'method_not_served');
      }
    },
  );

  app.post(
    '/api/v1/resources/:code/verify',
    {
      schema: {
        tags,
        summary: '核验: check a claim against the record; answers only whether it matches',
        params: CodeParams,
        body: VerifyClaimSchema,
        response: {
          200: z.object({ match: z.boolean(), items: z.record(z.string(), z.boolean()).optional() }),
          ...refusals,
          429: refusals[400],
        },
      },
    },
    async (request) => verifyClaim(query, callerOf(request), request.params.code, request.body),
  );
}
