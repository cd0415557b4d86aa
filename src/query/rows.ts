import { z } from 'zod';
import { BadRequestError, ForbiddenError, issueProblem } from '../errors/index.js';
import { traced } from '../observability/index.js';
import {
  checkSharingMethod,
  methodOfFormat,
  reserveUsage,
  settlement,
  settleUsage,
} from '../sharing/index.js';
import type { Connector } from '../sources/index.js';
import { decodeCursor, encodeCursor } from '../store/index.js';
import { auditActorOf } from './audit-actor.js';
import { type ConsumerFilter, ConsumerFilterSchema } from './consumer-filter.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { copyExport } from './copy-export.js';
import { encode, FORMAT_MEDIA, FormatSchema } from './deliver/formats.js';
import { toRecords } from './deliver/ndjson.js';
import { toParquet } from './deliver/parquet.js';
import { disputedRows } from './disputed-rows.js';
import { deliveryMarks } from './marks.js';
import { planResource } from './plan.js';
import { readView, type ViewRequest } from './read-view.js';
import { countingRows, openRelease } from './release.js';
import { type Column, HeaderSchema, type RowStream } from './row-stream.js';
import type { SecureView } from './secure-view.js';

/** Query string of GET /resources/{code}/rows. */
export const RowsQuerySchema = z.strictObject({
  fields: z.string().max(5000).optional().describe('comma-separated column names'),
  filter: z
    .string()
    .max(50_000)
    .optional()
    .describe('JSON array of conditions: {"column","op":"eq|in|range|like|is_null",…}'),
  sort: z.string().max(1000).optional().describe('comma-separated columns, - for descending: "year,-amount"'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('JSON page size (default 100); a cap for files'),
  cursor: z.string().max(512).optional(),
  format: FormatSchema.default('json'),
  bom: z.enum(['0', '1', 'true', 'false']).optional().describe('CSV: start with a UTF-8 BOM for Excel'),
  header: HeaderSchema.optional().describe(
    'CSV and XLSX header: name (the items’ names, 信息项名称), field (field names), both (a row of names, then a row of fields); default field for CSV, both for XLSX',
  ),
});
export type RowsQuery = z.infer<typeof RowsQuerySchema>;

/** What the route sends: a JSON page, or a stream of a file format. */
export type Delivery =
  | { kind: 'json'; body: string; status?: 202 }
  | {
      kind: 'stream';
      contentType: string;
      filename: string;
      body: AsyncIterable<Buffer>;
      /** The columns as released (after masks): a staging table is typed from them. */
      columns?: Column[];
      /** The rows streamed so far (all of them once the body has ended). */
      rows?: () => number;
    };

function parseFilters(text: string | undefined): ConsumerFilter[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('invalid_filter', 'filter must be a JSON array of conditions');
  }
  const parsed = z.array(ConsumerFilterSchema).max(50).safeParse(value);
  if (!parsed.success)
    throw new BadRequestError(
      'invalid_filter',
      parsed.error.issues[0]?.message ?? 'invalid filter',
      parsed.error.issues.map((i) => issueProblem(i.path.join('.'), i)),
    );
  return parsed.data;
}

const parseSort = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) =>
      s.startsWith('-')
        ? { column: s.slice(1), direction: 'desc' as const }
        : { column: s, direction: 'asc' as const },
    );

/** The release details of a read of one view, for the audit log. */
export function releaseDetails(caller: Caller, views: SecureView[], query: string, format: string) {
  return {
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: views.map((v) => v.resource.code),
    items: Object.fromEntries(views.map((v) => [v.resource.code, v.columns.map((c) => c.item)])),
    grantId:
      views.length === 1
        ? views[0]!.access.grantId
        : views
            .map((v) => v.access.grantId)
            .filter(Boolean)
            .join(',') || null,
    purpose: [...new Set(views.map((v) => v.access.purpose))].join('; '),
    query,
    format,
    ...(caller.ip ? { ip: caller.ip } : {}),
  };
}

/** Checks what the resource offers and the access allows before any data is read. */
export function checkUse(view: SecureView, format: string): void {
  checkSharingMethod(view.resource, view.access, methodOfFormat(format));
  if (view.access.use !== 'detail') {
    throw new ForbiddenError(
      `${view.resource.code} may only be used for ${view.access.use}`,
      'detail_not_allowed',
    );
  }
  if (format !== 'json' && !view.access.mayExport) {
    throw new ForbiddenError('This grant does not allow file exports', 'export_not_allowed');
  }
}

/** GET /resources/{code}/rows: the whole pipeline (plan → enforce → execute → deliver) for one resource. */
export async function deliverRows(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  query: RowsQuery,
): Promise<Delivery> {
  // Spans (when tracing is on): plan → enforce → audit (start entry) → execute → deliver → audit.
  const view = await traced('plan', () => planResource(ctx, caller, code, { quotaTakenBeforeRead: true }));
  checkUse(view, query.format);
  const connector = await ctx.connectorFor(view.binding.sourceId);
  const request = {
    fields: query.fields
      ?.split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    filters: parseFilters(query.filter),
    sort: parseSort(query.sort),
  };
  const hmacKey = consumerHmacKey(ctx, caller.actor, view.access);
  // Leak-tracing marks (docs/tracing.md): the row key is read even when not asked, then dropped.
  const marks = await deliveryMarks(ctx, caller, view, request.fields);
  const read = { ...request, fields: marks ? marks.fields : request.fields };
  const marked = (stream: RowStream) => (marks ? marks.apply(stream) : stream);
  const described = JSON.stringify({ code, ...request, limit: query.limit, cursor: query.cursor });
  const details = releaseDetails(caller, [view], `rows ${described}`, query.format);
  const db = ctx.store.db;

  // Rows are taken from the day's quota before any is read (atomically, so simultaneous
  // deliveries together never pass it); the unsent ones are given back afterwards.
  const asked = query.format === 'json' ? (query.limit ?? 100) : (query.limit ?? Number.POSITIVE_INFINITY);
  // The quota and the start entry are independent round trips: both in flight at once (one
  // round trip of waiting, not two). Nothing is read before both are done; a refusal of either
  // undoes the other (the start entry completed as failed, the reservation given back).
  const [reservation, opened] = await Promise.allSettled([
    traced('enforce', () => reserveUsage(db, view.access, { calls: 1, rows: asked })),
    // Write-ahead: the start entry is durable before anything is read; a read that fails (its
    // error could derive from the data) completes it as failed, a page or a file with its figures.
    openRelease(ctx.audit, details),
  ]);
  if (reservation.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.fail(reservation.reason);
    throw reservation.reason;
  }
  const reserved = reservation.value;
  const limit = Math.min(asked, reserved.rows ?? Number.POSITIVE_INFINITY);
  let settled = false;
  /** Rows read for a JSON page: charged if it fails after the read (what was read is what counts). */
  let rowsRead = 0;
  const settle = (sent: number) => {
    settled = true;
    return settleUsage(db, view.access, reserved, sent);
  };
  if (opened.status === 'rejected') {
    await settle(0);
    throw opened.reason;
  }
  const release = opened.value;
  try {
    if (query.format === 'json') {
      const offset = query.cursor ? Number(decodeCursor(query.cursor)?.id ?? 0) : 0;
      if (!Number.isSafeInteger(offset) || offset < 0)
        throw new BadRequestError('invalid_cursor', 'The cursor is not one this server issued');
      const { stream, rows } = await traced('execute', async () => {
        const stream = marked(
          await readView(connector, view, { ...read, limit: limit + 1, offset }, hmacKey),
        );
        const rows: unknown[][] = [];
        for await (const batch of stream.batches) rows.push(...batch);
        return { stream, rows };
      });
      const more = rows.length > limit;
      const shown = more ? rows.slice(0, limit) : rows;
      rowsRead = shown.length;
      const names = stream.columns.map((c) => c.name);
      // Inside the body, so that the release's SHA-256 covers the marker too (docs/governance.md).
      const disputed = await disputedRows(db, view.resource.id, names, shown);
      const body = await traced('deliver', () =>
        JSON.stringify({
          resource: code,
          columns: stream.columns,
          rows: toRecords(
            stream.columns.map((c) => c.name),
            shown,
          ),
          nextCursor: more ? encodeCursor({ key: 'offset', id: String(offset + limit) }) : null,
          disputed,
        }),
      );
      // The completion (rows, bytes, SHA-256) is durable before the response's first byte, and
      // the page's usage settles in the same statement (group commit): charged once, with its
      // entry or not at all (then the catch below charges the rows read, as before the batch did).
      await release.json(body, shown.length, settlement(view.access, reserved, shown.length) ?? undefined);
      settled = true;
      return { kind: 'json', body };
    }

    // A file's rows are read as the socket takes them: `execute` opens the read, `deliver` streams it.
    const window = { ...read, limit: Number.isFinite(limit) ? limit : undefined };
    const file = await traced('execute', () =>
      fileBody(ctx, connector, view, query, window, hmacKey, marks ? marked : null),
    );
    const charged = async function* (body: AsyncIterable<Buffer>) {
      try {
        yield* body;
      } finally {
        // Thrown, never swallowed: the release's completion entry records a failed settlement.
        await settle(file.rows());
      }
    };
    const media = FORMAT_MEDIA[query.format];
    const released = release.stream(charged(file.body), file.rows);
    return {
      kind: 'stream',
      contentType: media.type,
      filename: `${code}.${media.ext}`,
      body: released,
      columns: file.columns,
      rows: file.rows,
    };
  } catch (error) {
    if (!settled) await settle(rowsRead);
    await release.fail(error);
    throw error;
  }
}

/**
 * A file's body and the rows it carries. CSV and Parquet of a PostgreSQL source without
 * leak-tracing marks stream from the source's COPY (copy-export.ts); everything else — other
 * sources and formats, marked deliveries (the marks change values per recipient, in the
 * platform), reads COPY cannot serve as the row path would — reads rows and encodes them.
 */
async function fileBody(
  ctx: QueryContext,
  connector: Connector,
  view: SecureView,
  query: RowsQuery,
  request: ViewRequest,
  hmacKey: Buffer,
  marked: ((stream: RowStream) => RowStream) | null,
): Promise<{ body: AsyncIterable<Buffer>; rows: () => number; columns: Column[] }> {
  const bom = query.bom === '1' || query.bom === 'true';
  if (!marked && ctx.exportCopy !== false && (query.format === 'csv' || query.format === 'parquet')) {
    const copied = await copyExport(connector, query.format, {
      view,
      request,
      hmacKey,
      sandbox: ctx.sandbox,
      bom,
      header: query.header,
    });
    if (copied) return copied;
  }
  const stream = await readView(connector, view, request, hmacKey);
  const counted = countingRows(marked ? marked(stream) : stream);
  if (query.format === 'parquet') {
    const parquet = await toParquet(counted.stream, ctx.sandbox);
    return { body: parquet.body, rows: counted.rows, columns: counted.stream.columns };
  }
  const body = encode(query.format as Exclude<typeof query.format, 'json' | 'parquet'>, counted.stream, {
    bom,
    header: query.header,
  });
  return { body, rows: counted.rows, columns: counted.stream.columns };
}
