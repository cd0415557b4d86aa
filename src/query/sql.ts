import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { traced } from '../observability/index.js';
import { chargeUsage } from '../sharing/index.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { encode, FORMAT_MEDIA, FormatSchema } from './deliver/formats.js';
import { toRecords } from './deliver/ndjson.js';
import { parquetFile } from './deliver/parquet.js';
import { deliveryMarks } from './marks.js';
import { planForSql } from './plan.js';
import {
  type LoadedSide,
  loadOrder,
  narrowedByJoins,
  narrowedRequest,
  planPushdown,
  type ViewPushdown,
} from './pushdown/index.js';
import { readView } from './read-view.js';
import { countingRows, openRelease } from './release.js';
import { checkUse, type Delivery, releaseDetails } from './rows.js';
import { Sandbox } from './sandbox.js';
import { deliverSandboxSql, isSandboxQuery } from './sandbox-release/deliver.js';
import type { SecureView } from './secure-view.js';
import { inspectSelect } from './sql-guard.js';
import { deliverStatisticsSql, isStatisticsView } from './statistics-sql.js';

const CODE = /^[0-9A-Z][0-9A-Z-]{2,63}$/;

/** Body of POST /query. */
export const SqlQuerySchema = z.strictObject({
  sql: z
    .string()
    .min(1)
    // No .max() here: the guard's limit answers `sql_too_long`, a code the caller can act on
    // (a schema limit would answer only `invalid_request`); the body limit bounds the size read.
    .describe(
      'one SELECT, at most 100,000 characters; tables are resource codes (quoted: "35-…") or aliases',
    ),
  aliases: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/), z.string().regex(CODE))
    .optional()
    .describe('short table names for resource codes, e.g. {"people": "350000-…"}'),
  format: FormatSchema.default('json'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1000)
    .describe('rows in a JSON answer; files are not cut'),
  bom: z.boolean().default(false).describe('CSV: start with a UTF-8 BOM for Excel'),
  epsilon: z
    .number()
    .min(0.01)
    .max(10)
    .optional()
    .describe('statistics grants only: ε of each measure (the answer costs ε × measures)'),
});
export type SqlQuery = z.infer<typeof SqlQuerySchema>;

/**
 * The columns of a view to load for a query: all of them under a star or a whole-row reference,
 * else those the SQL mentions; at least one, so that `count(*)` still sees every row.
 */
export function fieldsToLoad(view: SecureView, mentioned: Set<string> | 'all'): string[] {
  const names = view.columns.map((c) => c.name);
  if (mentioned === 'all') return names;
  const used = names.filter((name) => mentioned.has(name.toLowerCase()));
  return used.length > 0 ? used : names.slice(0, 1);
}

/**
 * The enforce step (also of sql-encoded.ts): each view's allowed, masked, filtered rows (only the columns the SQL mentions,
 * and, from `pushdown`, only the rows the SQL can use) loaded into the sandbox, charged to its quota, then the sandbox locked.
 */
export async function loadViews(
  ctx: QueryContext,
  caller: Caller,
  box: Sandbox,
  views: Map<string, SecureView>,
  mentioned: Set<string> | 'all',
  pushdown: Map<string, ViewPushdown> = new Map(),
): Promise<void> {
  // Dynamic filtering: views with pushed conditions are read first, and each later view of an
  // equi-join is asked only for the keys the sandbox already holds (pushdown/join-keys.ts).
  const loadedSides = new Map<string, LoadedSide>();
  const callerOrg = caller.actor.kind === 'anonymous' ? undefined : caller.actor.orgId;
  for (const table of loadOrder([...views.keys()], pushdown)) {
    const view = views.get(table)!;
    const connector = await ctx.connectorFor(view.binding.sourceId);
    const fields = fieldsToLoad(view, mentioned);
    const hmacKey = consumerHmacKey(ctx, caller.actor, view.access);
    // Never more than one row past what the quota had left: enough to know it would pass it.
    const cap = view.rowsLeft == null ? undefined : view.rowsLeft + 1;
    const narrowed = await narrowedRequest(
      { fields, limit: cap },
      view,
      pushdown.get(table),
      connector,
      hmacKey,
    );
    // Leak-tracing marks on detail rows before the SQL sees them, so that answers carry them too.
    const marks = await deliveryMarks(ctx, caller, view, narrowed.fields);
    // A marked view's values in the sandbox may differ from its source's: no keys pushed into it.
    const request = marks
      ? narrowed
      : await narrowedByJoins(
          narrowed,
          view,
          pushdown.get(table),
          connector,
          hmacKey,
          loadedSides,
          box,
          callerOrg,
        );
    const read = marks ? { ...request, fields: marks.fields } : request;
    const raw = await readView(connector, view, read, hmacKey);
    const stream = marks ? marks.apply(raw) : raw;
    const loaded = await box.load(table, stream);
    loadedSides.set(table, { rows: loaded, fields, provider: view.resource.provider.id });
    // Rows read from a resource count against its quota before the query runs, all or nothing
    // in one atomic statement (simultaneous queries together never pass it); a join cannot be
    // cut short without changing its answer, so a query that would exceed it is refused (429).
    // With pushdown these are the rows the source sent for the query, not the resource's size.
    await chargeUsage(ctx.store.db, view.access, { calls: 1, rows: loaded });
  }
  await box.lock();
}

/** The plan step (also of the wire protocol, sql-encoded.ts): what the SQL reads, and each resource's secure view (refused ones as absent). */
export async function planViews(ctx: QueryContext, caller: Caller, query: SqlQuery) {
  const inspected = await inspectSelect(query.sql);
  // A query that reads no resource releases no data, so there is nothing to authorise or log
  // as a release: it is refused before the sandbox opens rather than run for nothing.
  if (inspected.tables.length === 0)
    throw new BadRequestError(
      'no_resource',
      'The query must read at least one resource: name it by its code (quoted) or an alias',
    );
  const views = new Map<string, SecureView>();
  for (const table of inspected.tables) {
    const code = query.aliases?.[table] ?? table;
    if (!CODE.test(code)) throw new NotFoundError(`Resource ${table}`, 'resource_not_found');
    const view = await planForSql(ctx, caller, code);
    // A sandbox grant (可用不可见) is checked by the sandbox mode, on what its answer would release;
    // a statistics grant by the statistics subset.
    if (view.access.use !== 'sandbox' && !isStatisticsView(view)) checkUse(view, query.format);
    views.set(table, view);
  }
  const pushdown = await planPushdown(ctx.pushdown !== false, inspected.statement, views);
  return { inspected, views, pushdown };
}

/**
 * POST /query: SQL across resources. Each named resource is planned and enforced like a single
 * read (a forbidden one is indistinguishable from an absent one), its allowed, masked, filtered
 * rows — only the columns the SQL mentions — are pulled from its source into a private DuckDB,
 * which is then locked (no files, no network, no settings) before the consumer's SQL runs there.
 */
export async function deliverSql(ctx: QueryContext, caller: Caller, query: SqlQuery): Promise<Delivery> {
  // Spans (when tracing is on): plan → audit (start entry) → enforce → execute → deliver → audit.
  const { inspected, views, pushdown } = await traced('plan', () => planViews(ctx, caller, query));
  // Statistics first: it refuses a query that names any other resource beside a statistics one.
  if ([...views.values()].some(isStatisticsView)) return deliverStatisticsSql(ctx, caller, query, views);
  if (isSandboxQuery(views.values()))
    return deliverSandboxSql(ctx, caller, query, views, (box) =>
      loadViews(ctx, caller, box, views, inspected.columns),
    );
  const list = [...views.values()];
  const details = releaseDetails(caller, list, query.sql, query.format);
  // Write-ahead: the release's start entry is durable before a row is read. A query that then
  // fails — on the data itself, in the source or in the sandbox — completes it as failed, so
  // that an error answer, which could derive from the data, is logged like any other.
  const release = await openRelease(ctx.audit, details);
  let sandbox: Sandbox | undefined;
  let handedOver = false;
  try {
    const box = await traced('enforce', async () => {
      const opened = await Sandbox.open(ctx.sandbox);
      sandbox = opened;
      await loadViews(ctx, caller, opened, views, inspected.columns, pushdown);
      return opened;
    });

    if (query.format === 'json') {
      const { result, rows } = await traced('execute', async () => {
        const result = await box.stream(query.sql);
        const rows: unknown[][] = [];
        for await (const batch of result.batches) {
          rows.push(...batch);
          if (rows.length > query.limit) break;
        }
        return { result, rows };
      });
      const truncated = rows.length > query.limit;
      const shown = truncated ? rows.slice(0, query.limit) : rows;
      const body = await traced('deliver', () =>
        JSON.stringify({
          columns: result.columns,
          rows: toRecords(
            result.columns.map((c) => c.name),
            shown,
          ),
          truncated,
        }),
      );
      await release.json(body, shown.length);
      return { kind: 'json', body };
    }

    const media = FORMAT_MEDIA[query.format];
    let body: AsyncIterable<Buffer>;
    let rows: () => number;
    if (query.format === 'parquet') {
      const { path, total } = await traced('execute', async () => {
        const counted = await box.stream(`SELECT count(*) FROM (${query.sql})`);
        let total = 0;
        for await (const batch of counted.batches) total = Number(batch[0]?.[0] ?? 0);
        return { path: await box.copyToParquet(query.sql), total };
      });
      body = parquetFile(path, () => box.close());
      rows = () => total;
    } else {
      const counted = countingRows(await traced('execute', () => box.stream(query.sql)));
      body = (async function* () {
        try {
          yield* encode(query.format as 'csv', counted.stream, { bom: query.bom });
        } finally {
          await box.close();
        }
      })();
      rows = counted.rows;
    }
    const released = release.stream(body, rows);
    // From here the body closes the sandbox when the response ends.
    handedOver = true;
    return { kind: 'stream', contentType: media.type, filename: `query.${media.ext}`, body: released };
  } catch (error) {
    await release.fail(error);
    throw error;
  } finally {
    if (!handedOver) await sandbox?.close();
  }
}
