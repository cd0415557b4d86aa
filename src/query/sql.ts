import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { traced } from '../observability/index.js';
import { chargeUsage } from '../sharing/index.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { copyLoad } from './copy-export.js';
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
  type ScopedView,
  type ViewPushdown,
} from './pushdown/index.js';
import { readView } from './read-view.js';
import { countingRows, openRelease } from './release.js';
import { loadRemote, planRemote, REMOTE_NAME, type RemoteTable, withRemotes } from './remote-table.js';
import { checkUse, type Delivery, releaseDetails } from './rows.js';
import { Sandbox } from './sandbox.js';
import { deliverSandboxSql, isSandboxQuery } from './sandbox-release/deliver.js';
import type { SecureView } from './secure-view.js';
import { inspectSelect } from './sql-guard.js';
import { deliverStatisticsSql, isStatisticsView } from './statistics-sql.js';

const CODE = /^[0-9A-Z][0-9A-Z-]{2,63}$/;
/** A resource code, or another node's resource as `<nodeId>:<CODE>` (remote-table.ts). */
const CODE_OR_REMOTE = /^(?:[a-z0-9][a-z0-9-]{1,62}:)?[0-9A-Z][0-9A-Z-]{2,63}$/;

/** Body of POST /query. */
export const SqlQuerySchema = z.strictObject({
  sql: z
    .string()
    .min(1)
    // No .max() here: the guard's limit answers `sql_too_long`, a code the caller can act on
    // (a schema limit would answer only `invalid_request`); the body limit bounds the size read.
    .describe(
      'one SELECT, at most 100,000 characters; tables are resource codes (quoted: "35-…"), another node’s resources ("<nodeId>:<code>", JSON answers only) or aliases',
    ),
  aliases: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/), z.string().regex(CODE_OR_REMOTE))
    .optional()
    .describe(
      'short table names for resource codes, e.g. {"people": "350000-…", "firms": "fj-350000:350000-…"}',
    ),
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
export function fieldsToLoad(view: ScopedView, mentioned: Set<string> | 'all'): string[] {
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
  remotes: Map<string, RemoteTable> = new Map(),
): Promise<void> {
  // Dynamic filtering: views with pushed conditions are read first, and each later view of an
  // equi-join is asked only for the keys the sandbox already holds (pushdown/join-keys.ts).
  const loadedSides = new Map<string, LoadedSide>();
  const callerOrg = caller.actor.kind === 'anonymous' ? undefined : caller.actor.orgId;
  // Other nodes' resources first, paged from their nodes under their grants (remote-table.ts). No
  // key is ever sent to them (mayReceiveKeys: not the caller's organisation); theirs narrow only
  // the caller's own organisation's sources.
  for (const [table, remote] of remotes) {
    const fields = fieldsToLoad(remote, mentioned);
    const rows = await loadRemote(
      ctx.remote!,
      ctx.remoteLimits,
      caller,
      box,
      table,
      remote,
      fields,
      pushdown.get(table),
    );
    loadedSides.set(table, { rows, fields, provider: `node:${remote.nodeId}` });
  }
  for (const table of loadOrder([...views.keys()], pushdown)) {
    const view = views.get(table)!;
    const connector = await ctx.connectorFor(view.binding.sourceId);
    const fields = fieldsToLoad(view, mentioned);
    const hmacKey = consumerHmacKey(ctx, caller.actor, view.access);
    // Never more than one row past what the quota had left: enough to know it would pass it.
    const cap = view.rowsLeft == null ? undefined : view.rowsLeft + 1;
    const narrowed = await traced('enforce.narrow', () =>
      narrowedRequest({ fields, limit: cap }, view, pushdown.get(table), connector, hmacKey),
    );
    // Leak-tracing marks on detail rows before the SQL sees them, so that answers carry them too.
    const marks = await traced('enforce.marks', () => deliveryMarks(ctx, caller, view, narrowed.fields));
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
    // The source's read and the load into the sandbox overlap (a stream): one span for both.
    const loaded = await traced('enforce.load', async () => {
      // A large side is loaded from the source's COPY of the same read (Sandbox.load); a marked
      // one stays rows (its marks are set here).
      const raw = await readView(connector, view, read, hmacKey);
      return marks
        ? box.load(table, marks.apply(raw))
        : box.load(table, raw, copyLoad(connector, view, read, hmacKey));
    });
    loadedSides.set(table, { rows: loaded, fields, provider: view.resource.provider.id });
    // Rows read from a resource count against its quota before the query runs, all or nothing
    // in one atomic statement (simultaneous queries together never pass it); a join cannot be
    // cut short without changing its answer, so a query that would exceed it is refused (429).
    // With pushdown these are the rows the source sent for the query, not the resource's size.
    await traced('enforce.charge', () => chargeUsage(ctx.store.db, view.access, { calls: 1, rows: loaded }));
  }
  await traced('enforce.lock', () => box.lock());
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
  const remoteNames = new Map<string, { nodeId: string; code: string }>();
  for (const table of inspected.tables) {
    const code = query.aliases?.[table] ?? table;
    const remote = REMOTE_NAME.exec(code);
    if (remote) {
      remoteNames.set(table, { nodeId: remote[1]!, code: remote[2]! });
      continue;
    }
    if (!CODE.test(code)) throw new NotFoundError(`Resource ${table}`, 'resource_not_found');
    const view = await planForSql(ctx, caller, code);
    // A sandbox grant (可用不可见) is checked by the sandbox mode, on what its answer would release;
    // a statistics grant by the statistics subset.
    if (view.access.use !== 'sandbox' && !isStatisticsView(view)) checkUse(view, query.format);
    views.set(table, view);
  }
  const remotes = await planRemotes(ctx, caller, query.format, views, remoteNames);
  const scoped = new Map<string, ScopedView>([...views, ...remotes]);
  const pushdown = await planPushdown(ctx.pushdown !== false, inspected.statement, scoped);
  return { inspected, views, remotes, pushdown };
}

/**
 * The plan step for other nodes' resources, after the local ones: only in a JSON answer of a
 * detail query (a file would export what the provider granted as a page; sandbox and statistics
 * modes check what leaves against local grants only), and only where the transport can reach
 * the federation (`ctx.remote`; not the wire protocol).
 */
async function planRemotes(
  ctx: QueryContext,
  caller: Caller,
  format: SqlQuery['format'],
  views: Map<string, SecureView>,
  names: Map<string, { nodeId: string; code: string }>,
): Promise<Map<string, RemoteTable>> {
  const remotes = new Map<string, RemoteTable>();
  if (names.size === 0) return remotes;
  const special = [...views.values()].some((v) => v.access.use === 'sandbox' || isStatisticsView(v));
  if (!ctx.remote || format !== 'json' || special)
    throw new BadRequestError(
      'remote_resource_not_supported',
      'Another node’s resource can be joined only in a JSON answer of POST /api/v1/query: not in files, sandbox or statistics mode, nor over the PostgreSQL wire protocol',
    );
  for (const [table, { nodeId, code }] of names)
    remotes.set(table, await planRemote(ctx.remote, caller, nodeId, code));
  return remotes;
}

/**
 * POST /query: SQL across resources. Each named resource is planned and enforced like a single
 * read (a forbidden one is indistinguishable from an absent one), its allowed, masked, filtered
 * rows — only the columns the SQL mentions — are pulled from its source into a private DuckDB,
 * which is then locked (no files, no network, no settings) before the consumer's SQL runs there.
 */
export async function deliverSql(ctx: QueryContext, caller: Caller, query: SqlQuery): Promise<Delivery> {
  // Spans (when tracing is on): plan → audit (start entry) → enforce → execute → deliver → audit.
  const { inspected, views, remotes, pushdown } = await traced('plan', () => planViews(ctx, caller, query));
  // Statistics first: it refuses a query that names any other resource beside a statistics one.
  if ([...views.values()].some(isStatisticsView)) return deliverStatisticsSql(ctx, caller, query, views);
  if (isSandboxQuery(views.values()))
    return deliverSandboxSql(ctx, caller, query, views, (box) =>
      loadViews(ctx, caller, box, views, inspected.columns),
    );
  const list = [...views.values()];
  const details = withRemotes(releaseDetails(caller, list, query.sql, query.format), remotes);
  // Write-ahead: the release's start entry is durable before a row is read. A query that then
  // fails — on the data itself, in the source or in the sandbox — completes it as failed, so
  // that an error answer, which could derive from the data, is logged like any other.
  const release = await openRelease(ctx.audit, details);
  let sandbox: Sandbox | undefined;
  let handedOver = false;
  try {
    const box = await traced('enforce', async () => {
      const opened = await traced('enforce.open', () => Sandbox.open(ctx.sandbox));
      sandbox = opened;
      await loadViews(ctx, caller, opened, views, inspected.columns, pushdown, remotes);
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
          box.dismiss();
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
    // The answer is in hand (or the error): the child is killed now, not waited for.
    if (!handedOver) sandbox?.dismiss();
  }
}
