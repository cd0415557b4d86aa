import type { OutboundPolicy } from '../../net/index.js';
import { sourceError } from '../errors.js';
import { inferColumns } from '../http-json/infer-columns.js';
import { rowComparator, rowMatcher } from '../http-json/match-filters.js';
import { fetchPages, type PageInfo } from '../http-json/pages.js';
import type { ParsedReadPlan, ReadFrom } from '../plan.js';
import type { HttpJsonConfig, SourceSecret } from '../source-config.js';
import { columnLookup } from '../sql/build-select.js';
import type { DescribedColumn } from '../types.js';
import type { Connector } from './connector.js';
import { parsePlan } from './sql-read.js';

/** The one table an HTTP JSON source has: the records at its path. */
export const API_TABLE = 'records';

async function firstPage(
  config: HttpJsonConfig,
  secret: SourceSecret,
  outbound: OutboundPolicy,
  info?: PageInfo,
) {
  for await (const page of fetchPages(config, secret, outbound, info)) return page;
  return [];
}

function checkFrom(from: ReadFrom): void {
  if (from.kind === 'query')
    throw sourceError('pushdown_unsupported', 'An HTTP JSON source cannot run SQL; read its records table');
  if (from.table !== API_TABLE || from.schema)
    throw sourceError('unknown_table', `An HTTP JSON source has one table, "${API_TABLE}"`, {
      table: from.table,
    });
}

/** Applies the plan in memory over the fetched pages: filter, then sort (buffered), keyset, offset, limit. */
async function* planned(
  pages: AsyncIterable<Record<string, unknown>[]>,
  plan: ParsedReadPlan,
  described: DescribedColumn[],
  names: string[],
  batchSize: number,
): AsyncGenerator<unknown[][]> {
  const lookup = columnLookup(described);
  const all = described.map((c) => c.name);
  const indexOf = (n: string) => all.indexOf(lookup(n).name);
  const matches = rowMatcher(plan.filters, indexOf, lookup);
  const order = rowComparator(plan.sort, indexOf, lookup);
  const pick = names.map(indexOf);
  const toRow = (r: Record<string, unknown>) => all.map((n) => r[n] ?? null);

  async function* filtered() {
    for await (const page of pages) yield page.map(toRow).filter(matches);
  }
  let source: AsyncIterable<unknown[][]> = filtered();
  if (plan.sort.length > 0) {
    // Sorting needs every record: bounded by maxPages × page size, held in memory.
    const rows: unknown[][] = [];
    for await (const page of source) rows.push(...page);
    rows.sort(order);
    const after = plan.after;
    const start = after ? rows.findIndex((r) => order(r, keyRow(plan, indexOf, after, all.length)) > 0) : 0;
    source = (async function* () {
      yield start < 0 ? [] : rows.slice(start);
    })();
  }
  let skip = plan.offset ?? 0;
  let left = plan.limit ?? Number.POSITIVE_INFINITY;
  let batch: unknown[][] = [];
  for await (const page of source) {
    for (const row of page) {
      if (left <= 0) break;
      if (skip > 0) {
        skip--;
        continue;
      }
      left--;
      batch.push(pick.map((i) => row[i]));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (left <= 0) break;
  }
  if (batch.length > 0) yield batch;
}

// A row holding the keyset values at the sort columns' positions, to compare against.
function keyRow(
  plan: ParsedReadPlan,
  indexOf: (n: string) => number,
  after: unknown[],
  width: number,
): unknown[] {
  const row: unknown[] = new Array(width).fill(null);
  plan.sort.forEach((k, j) => {
    row[indexOf(k.column)] = after[j];
  });
  return row;
}

/**
 * A connector to an HTTP JSON API. Nothing is pushed down: every read fetches the pages (up to
 * maxPages) and filters, sorts and cuts them here; `expressions` are refused, so masks are
 * applied by the query pipeline in JavaScript. Columns are inferred from the first page. Every
 * request goes through `outbound` (net/), to the address it checked.
 */
export function httpJsonConnector(
  config: HttpJsonConfig,
  secret: SourceSecret,
  outbound: OutboundPolicy,
): Connector {
  const describeFrom = async (from: ReadFrom) => {
    checkFrom(from);
    return inferColumns(await firstPage(config, secret, outbound));
  };
  return {
    kind: 'http_json',
    dialect: null,
    pushdown: false,
    test: async () => {
      const started = performance.now();
      const info: PageInfo = { server: null };
      await firstPage(config, secret, outbound, info);
      return { ok: true, latencyMs: Math.round(performance.now() - started), serverVersion: info.server };
    },
    describe: async () => {
      const records = await firstPage(config, secret, outbound);
      return {
        tables: [
          { schema: null, name: API_TABLE, kind: 'api', rowEstimate: null, columns: inferColumns(records) },
        ],
      };
    },
    describeFrom,
    read: async (plan, options) => {
      const parsed = parsePlan(plan);
      if (parsed.expressions?.length || parsed.groupCount || parsed.conditions?.length)
        throw sourceError(
          'pushdown_unsupported',
          'HTTP JSON sources cannot compute expressions; mask after reading',
        );
      const described = await describeFrom(parsed.from);
      const lookup = columnLookup(described);
      const names = parsed.columns ?? described.map((c) => c.name);
      const columns = names.map((n) => ({ name: n, type: lookup(n).type }));
      for (const f of parsed.filters) lookup(f.column);
      for (const s of parsed.sort) lookup(s.column);
      return {
        columns,
        batches: planned(
          fetchPages(config, secret, outbound),
          parsed,
          described,
          names,
          options?.batchSize ?? 1000,
        ),
      };
    },
    close: async () => undefined,
  };
}
