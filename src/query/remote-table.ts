import { z } from 'zod';
import { AppError, BadRequestError } from '../errors/index.js';
import type { ConsumerFilter } from './consumer-filter.js';
import type { Caller, QueryContext, RemoteRows } from './context.js';
import type { PushedPredicate, ViewPushdown } from './pushdown/index.js';
import { type Column, type ColumnType, ColumnTypeSchema } from './row-stream.js';
import type { Sandbox } from './sandbox.js';
import type { ViewColumn } from './secure-view.js';

/**
 * A resource of another node in a consumer's SQL (跨节点联合查询): `"<nodeId>:<CODE>"`, quoted
 * (or an alias naming it). Node ids are lower-case, resource codes upper-case, so a local code
 * can never be read as a remote name.
 */
export const REMOTE_NAME = /^([a-z0-9][a-z0-9-]{1,62}):([0-9A-Z][0-9A-Z-]{2,63})$/;

/** Rows of one remote resource a query may load at most, when the node sets no other cap. */
export const MAX_REMOTE_ROWS = 100_000;
/** Rows asked per page (the provider's largest page). */
const PAGE_ROWS = 1000;
/** Conditions the provider's rows API takes at most in one filter. */
const MAX_FILTERS = 50;

/** A remote resource of a query: where it lives and the columns its provider delivers to the caller. */
export interface RemoteTable {
  nodeId: string;
  code: string;
  columns: ViewColumn[];
}

const PageSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: ColumnTypeSchema, label: z.string().optional() })),
  rows: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.string().nullable(),
});
type Page = z.infer<typeof PageSchema>;

function parsePage(text: string): Page {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = PageSchema.safeParse(value);
  if (!parsed.success) throw new AppError(502, 'peer_bad_answer', 'The provider node’s page is malformed');
  return parsed.data;
}

/**
 * The plan step for a remote resource: the provider node decides the caller's access (a refusal
 * reaches the caller with the provider's code: `no_grant`, `quota_exhausted`…) and shows the
 * columns it delivers, with their types, by a read of one row (a release on both nodes like any
 * page). The columns count as clear here: the provider evaluates a filter on a masked column
 * over its delivered value, which is what the sandbox compares too.
 */
export async function planRemote(
  remote: RemoteRows,
  caller: Caller,
  nodeId: string,
  code: string,
): Promise<RemoteTable> {
  const probe = parsePage(await remote.read(caller, nodeId, code, { limit: 1 }));
  const columns = probe.columns.map(
    (c): ViewColumn => ({
      name: c.name,
      item: c.label ?? c.name,
      source: c.name,
      type: c.type,
      mask: { kind: 'none' },
    }),
  );
  return { nodeId, code, columns };
}

/**
 * A conjunct the SQL lets the read leave out, in the rows API's filter language; null when that
 * language cannot say it (`<>`, NOT IN), which only means fewer rows are left out.
 */
function asFilter(p: PushedPredicate): ConsumerFilter | null {
  const { column } = p;
  switch (p.op) {
    case '=':
      return { column, op: 'eq', value: p.value.value };
    case 'in':
      return { column, op: 'in', values: p.values.map((v) => v.value) };
    case 'like':
      return { column, op: 'like', pattern: p.pattern };
    case 'is_null':
    case 'is_not_null':
      return { column, op: 'is_null', value: p.op === 'is_null' };
    case '<>':
    case 'not_in':
      return null;
    default: {
      // Ordering is pushed for integers only (extract.ts): `> n` is `>= n + 1`.
      if (p.value.kind !== 'integer') return null;
      const n = p.value.value;
      if (p.op === '>=' || p.op === '>')
        return { column, op: 'range', min: p.op === '>' ? n + 1 : n, maxInclusive: true };
      return { column, op: 'range', max: n, maxInclusive: p.op === '<=' };
    }
  }
}

/** The filter sent with every page: the pushable conjuncts on this resource's columns (at most 50). */
export function remoteFilter(pushed: ViewPushdown | undefined): ConsumerFilter[] {
  return (pushed?.predicates ?? [])
    .map(asFilter)
    .filter((f): f is ConsumerFilter => f !== null)
    .slice(0, MAX_FILTERS);
}

// A value of a JSON page as the sandbox's appender takes it (as a source's value would be).
function sandboxValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // Big integers travel as text in JSON.
  if (type === 'integer' && typeof value === 'string') return BigInt(value);
  // ISO text in UTC, as the local path writes a source's dates (sandbox.ts textOf).
  if ((type === 'date' || type === 'timestamp') && typeof value === 'string') return value.replace(/Z$/, '');
  return value;
}

/**
 * The enforce step for a remote resource: its rows, page after page from the provider node
 * (each page's receipt checked and logged by `remote.read`), with the SQL's projection (`fields`)
 * and the conditions it allows (`filter`) pushed to the provider, loaded into the sandbox.
 * More than the cap refuses the query (`remote_rows_exceeded`), having read one row past it at
 * most. Resolves with the rows loaded.
 */
export async function loadRemote(
  remote: RemoteRows,
  limits: QueryContext['remoteLimits'],
  caller: Caller,
  box: Pick<Sandbox, 'load'>,
  table: string,
  target: RemoteTable,
  fields: string[],
  pushed: ViewPushdown | undefined,
): Promise<number> {
  const max = limits?.rows ?? MAX_REMOTE_ROWS;
  const pageRows = limits?.pageRows ?? PAGE_ROWS;
  const byName = new Map(target.columns.map((c) => [c.name, c]));
  // The rows API separates fields by commas: a name holding one is read with every column.
  const projected = fields.some((f) => f.includes(',')) ? target.columns.map((c) => c.name) : fields;
  const columns: Column[] = projected.map((name) => {
    const c = byName.get(name)!;
    return { name: c.name, type: c.type, label: c.item };
  });
  const filters = remoteFilter(pushed);
  const base = {
    ...(projected === fields ? { fields: fields.join(',') } : {}),
    ...(filters.length ? { filter: JSON.stringify(filters) } : {}),
  };
  // A provider that answers empty pages with a cursor, or the same cursor again, would keep the
  // query paging for ever: the pages it may take are bounded by the rows it may send.
  const maxPages = Math.ceil((max + 1) / pageRows) + 1;
  const badAnswer = (why: string) => new AppError(502, 'peer_bad_answer', `The provider node ${why}`);
  const batches = async function* () {
    let cursor: string | undefined;
    let total = 0;
    let pages = 0;
    const seen = new Set<string>();
    do {
      if (++pages > maxPages) throw badAnswer('sent more pages than its rows need');
      const limit = Math.min(pageRows, max + 1 - total);
      const page = parsePage(
        await remote.read(caller, target.nodeId, target.code, {
          ...base,
          limit,
          ...(cursor ? { cursor } : {}),
        }),
      );
      if (page.columns.map((c) => c.name).join('\u0000') !== projected.join('\u0000'))
        throw badAnswer('changed its columns during the query');
      total += page.rows.length;
      if (total > max)
        throw new BadRequestError(
          'remote_rows_exceeded',
          `${target.nodeId}:${target.code} releases more than ${max} rows for this query; add conditions on it`,
          { max },
        );
      yield page.rows.map((row) => columns.map((c) => sandboxValue(c.type, row[c.name])));
      cursor = page.nextCursor ?? undefined;
      if (cursor && (page.rows.length === 0 || seen.has(cursor)))
        throw badAnswer('sent a page that does not move on');
      if (cursor) seen.add(cursor);
    } while (cursor);
  };
  return box.load(table, { columns, batches: batches() });
}

/** The consumer node's release entry names the remote resources and the items it loaded of each. */
export function withRemotes<T extends { resources: string[]; items: Record<string, string[]> }>(
  details: T,
  remotes: Map<string, RemoteTable>,
): T {
  const named = [...remotes.values()].map(
    (r) => [`${r.nodeId}:${r.code}`, r.columns.map((c) => c.item)] as const,
  );
  return {
    ...details,
    resources: [...details.resources, ...named.map(([name]) => name)],
    items: { ...details.items, ...Object.fromEntries(named) },
  };
}
