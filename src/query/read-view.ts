import { BadRequestError } from '../errors/index.js';
import { applyMask, type HmacKey, maskSql } from '../privacy/index.js';
import type { Connector, Filter, SelectExpression, SortKey, SqlCondition } from '../sources/index.js';
import { type ConsumerFilter, rowPredicate } from './consumer-filter.js';
import type { RowStream } from './row-stream.js';
import { isClear, type SecureView, type ViewColumn } from './secure-view.js';

/** What a consumer asks of one view: columns, conditions, order and a window. */
export interface ViewRequest {
  /** Column names to deliver (all of the view's when absent). */
  fields?: string[];
  filters?: ConsumerFilter[];
  sort?: Array<{ column: string; direction: 'asc' | 'desc' }>;
  limit?: number;
  offset?: number;
  /**
   * Conditions on the delivered (masked) expressions, built by the platform from a consumer's SQL
   * (pushdown/); run only by a source that runs SQL, and only ever narrowing what the grant allows.
   */
  conditions?: SqlCondition[];
}

/** A delivered column: the field name consumers address, the item's name for headers. */
export const deliveredColumn = (c: ViewColumn) => ({ name: c.name, type: c.type, label: c.item });

function pick(view: SecureView, fields: string[] | undefined): ViewColumn[] {
  if (!fields) return view.columns;
  const byName = new Map(view.columns.map((c) => [c.name, c]));
  return fields.map((f) => {
    const column = byName.get(f);
    // An item outside the grant is as unknown as one that does not exist.
    if (!column)
      throw new BadRequestError('unknown_field', `No column ${f} is available to you`, { field: f });
    return column;
  });
}

/** What a read of a view asks of its source: filters pushed, filters kept for masked values, sort. */
export interface ViewPlan {
  /** The delivered columns, in order. */
  columns: ViewColumn[];
  /** The delivered columns and, after them, the masked ones the later filters need. */
  needed: ViewColumn[];
  /** The grant's row filter and the consumer's filters on clear columns, on source columns. */
  pushed: Filter[];
  /** The consumer's filters on masked columns, run on the masked values after masking. */
  later: ConsumerFilter[];
  sort: SortKey[];
  find(name: string): ViewColumn;
}

/** Splits a request over a view into what the source runs and what runs after masking. */
export function viewPlan(view: SecureView, request: ViewRequest): ViewPlan {
  const columns = pick(view, request.fields);
  const all = new Map(view.columns.map((c) => [c.name, c]));
  const find = (name: string) => {
    const column = all.get(name);
    if (!column)
      throw new BadRequestError('unknown_field', `No column ${name} is available to you`, { field: name });
    return column;
  };
  const pushed: Filter[] = [...view.rowFilter];
  const later: ConsumerFilter[] = [];
  for (const filter of request.filters ?? []) {
    const column = find(filter.column);
    if (isClear(column.mask)) pushed.push({ ...filter, column: column.source } as Filter);
    else later.push(filter);
  }
  const sort = (request.sort ?? []).map((s) => {
    const column = find(s.column);
    // Ordering by a masked column would leak the order of the hidden values.
    if (!isClear(column.mask))
      throw new BadRequestError('masked_field_not_sortable', `${s.column} is masked and cannot be sorted on`);
    return { column: column.source, direction: s.direction };
  });
  // Later filters need masked values, so they need every row that the source returns.
  const needed = [...columns, ...later.map((f) => find(f.column)).filter((c) => !columns.includes(c))];
  return { columns, needed, pushed, later, sort, find };
}

/**
 * The execute step for one resource: the allowed columns with masks and the grant's row filter
 * pushed into the source's own SQL (parameterised) when it can run them, in JS otherwise.
 * Conditions on masked columns are evaluated on the masked values, after masking.
 */
export async function readView(
  connector: Connector,
  view: SecureView,
  request: ViewRequest,
  hmacKey: HmacKey,
): Promise<RowStream> {
  const { columns, find, pushed, later, sort, needed } = viewPlan(view, request);
  const window = later.length === 0 ? { limit: request.limit, offset: request.offset } : {};
  const inSource = connector.pushdown && connector.dialect !== null;

  const result = inSource
    ? await connector.read({
        from: view.binding.from,
        columns: [],
        expressions: needed.map((c) => expression(c, connector.dialect!, hmacKey)),
        filters: pushed,
        ...(request.conditions?.length ? { conditions: request.conditions } : {}),
        sort,
        ...window,
      })
    : await connector.read({
        from: view.binding.from,
        columns: [...new Set(needed.map((c) => c.source))],
        filters: pushed,
        sort,
        ...window,
      });

  const positions = needed.map((c) =>
    inSource
      ? result.columns.findIndex((r) => r.name === c.name)
      : result.columns.findIndex((r) => r.name === c.source),
  );
  const predicates = later.map((f) => rowPredicate(f, needed.indexOf(find(f.column))));
  const offset = later.length ? (request.offset ?? 0) : 0;
  const limit = later.length ? (request.limit ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  // The common case — masks computed in the source, no condition on masked values — needs no
  // per-row work here: the source already returns exactly the delivered columns in order.
  const passThrough =
    inSource &&
    later.length === 0 &&
    positions.every((p, i) => p === i) &&
    positions.length === result.columns.length;
  if (passThrough) return { columns: columns.map(deliveredColumn), batches: result.batches };
  const batches = (async function* () {
    let skipped = 0;
    let sent = 0;
    for await (const batch of result.batches) {
      const out: unknown[][] = [];
      for (const raw of batch) {
        const row = positions.map((p, i) =>
          inSource || isClear(needed[i]!.mask) ? raw[p] : applyMask(needed[i]!.mask, raw[p], { hmacKey }),
        );
        if (!predicates.every((test) => test(row))) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        out.push(row.slice(0, columns.length));
        if (++sent >= limit) break;
      }
      if (out.length) yield out;
      if (sent >= limit) return;
    }
  })();
  return { columns: columns.map(deliveredColumn), batches };
}

/** The SELECT expression of a view column in the source's dialect: its source column, masked. */
export function expression(
  column: ViewColumn,
  dialect: 'postgres' | 'mysql' | 'duckdb',
  hmacKey: HmacKey,
): SelectExpression {
  return {
    alias: column.name,
    type: column.type,
    build: (context) =>
      isClear(column.mask)
        ? context.column(column.source)
        : maskSql(column.mask, context.column(column.source), dialect, {
            hmacKey,
            bind: (hex) => context.bind(hex),
          }),
  };
}
