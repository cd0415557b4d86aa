import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import type { ConsumerFilter } from './consumer-filter.js';
import type { Caller, QueryContext } from './context.js';
import type { Delivery } from './rows.js';
import type { SecureView, ViewColumn } from './secure-view.js';
import { answerStatistics, type StatisticsAnswer } from './statistics.js';
import {
  isIdentifying,
  planStatistics,
  type StatisticsQuery,
  StatisticsQuerySchema,
} from './statistics-plan.js';
import { parseStatisticsSelect, type StatisticsSelect, unsupported } from './statistics-sql-parse.js';

/** What a statistics answer to SQL adds to the columns and rows: the mechanism, ε and the noise. */
export const SqlStatisticsSchema = z
  .object({
    resource: z.string(),
    mechanism: z.literal('discrete-laplace'),
    epsilon: z.object({
      perMeasure: z.number(),
      spent: z.number(),
      remainingToday: z.number().nullable(),
      remainingTotal: z.number().nullable(),
    }),
    noiseStddev: z
      .array(z.record(z.string(), z.number()))
      .describe('per row, the standard deviation of the noise added to each measure column'),
  })
  .describe('only for a statistics grant (统计用途): every value in `rows` is noisy');

/** Whether the resource is read under a statistics grant: its SQL is answered by statistics-sql.ts. */
export const isStatisticsView = (view: SecureView): boolean =>
  view.access.mode !== 'provider' && view.access.use === 'statistics';

/** The view's column that a SQL name means: its field name (as DuckDB, case-insensitively) or its item's name. */
function resolve(view: SecureView, name: string): ViewColumn {
  const lower = name.toLowerCase();
  const column =
    view.columns.find((c) => c.name.toLowerCase() === lower) ?? view.columns.find((c) => c.item === name);
  // An item outside the grant is as unknown as one that does not exist (as in the REST endpoint).
  if (!column)
    throw new BadRequestError('unknown_field', `No item ${name} is available to you`, { field: name });
  return column;
}

/** WHERE's conditions over the view's columns; none on an item that identifies a person. */
function filtersOf(view: SecureView, select: StatisticsSelect): ConsumerFilter[] {
  return select.filters.map((filter) => {
    const column = resolve(view, filter.column);
    if (isIdentifying(view, column)) unsupported(`a condition on ${column.item}, which identifies a person`);
    const numeric = view.resource.items.find((i) => i.name === column.item)?.dataType === 'number';
    const values =
      filter.op === 'eq'
        ? [filter.value]
        : filter.op === 'in'
          ? filter.values
          : filter.op === 'range'
            ? [filter.min, filter.max]
            : [];
    // A text literal against a number would reach the source as 'NaN' or 'Infinity' unchecked.
    if (numeric && values.some((v) => typeof v === 'string'))
      unsupported(`a text literal compared with the number item ${column.item}`);
    return { ...filter, column: column.name };
  });
}

/** The statistics query of a SELECT in the subset, with the view's names. */
function statisticsQuery(view: SecureView, select: StatisticsSelect, epsilon: number): StatisticsQuery {
  const parsed = StatisticsQuerySchema.safeParse({
    measures: select.outputs.flatMap((o) =>
      o.kind !== 'measure'
        ? []
        : o.fn === 'count'
          ? [{ fn: 'count' }]
          : [{ fn: o.fn, item: resolve(view, o.column!).name }],
    ),
    groupBy: select.group && { item: resolve(view, select.group.column).name, groups: select.group.groups },
    epsilon,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return unsupported(`${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The answer as SQL's: columns and rows (one per listed group), and what makes them noisy. */
function render(select: StatisticsSelect, answer: StatisticsAnswer): { body: string; rows: number } {
  const columns = select.outputs.map((o) => ({
    name: o.name,
    type: o.kind === 'group' ? 'string' : o.fn === 'count' ? 'integer' : 'number',
  }));
  const rows: Record<string, unknown>[] = [];
  const noiseStddev: Record<string, number>[] = [];
  for (const group of answer.groups) {
    const row: Record<string, unknown> = {};
    const noise: Record<string, number> = {};
    let m = 0;
    for (const o of select.outputs) {
      if (o.kind === 'group') row[o.name] = group.group;
      else {
        const value = group.values[m++]!;
        row[o.name] = value.value;
        noise[o.name] = value.noiseStddev;
      }
    }
    rows.push(row);
    noiseStddev.push(noise);
  }
  const { resource, mechanism, epsilon } = answer;
  const statistics = SqlStatisticsSchema.parse({ resource, mechanism, epsilon, noiseStddev });
  return { body: JSON.stringify({ columns, rows, truncated: false, statistics }), rows: rows.length };
}

/**
 * POST /query under a statistics grant (统计用途): the SQL must be a SELECT of the documented
 * subset (statistics-sql-parse.ts), which becomes the same statistics query as the REST
 * endpoint's and is answered by the same pipeline — the same noise, the same ε spent from the
 * same budget, the same release entry. No row of the resource reaches DuckDB or the caller.
 */
export async function deliverStatisticsSql(
  ctx: QueryContext,
  caller: Caller,
  query: { sql: string; format: string; epsilon?: number },
  views: Map<string, SecureView>,
): Promise<Delivery> {
  if (views.size !== 1) unsupported('more than one resource (JOIN, UNION or a subquery)');
  if (query.format !== 'json') unsupported(`format ${query.format} (statistics are answered as JSON)`);
  const view = [...views.values()][0]!;
  const select = await parseStatisticsSelect(query.sql);
  // The form first (what is outside the subset is said so, ε or not), then the price.
  if (query.epsilon === undefined)
    throw new BadRequestError(
      'epsilon_required',
      'SQL under a statistics grant spends ε: send "epsilon" (ε per measure) with the SQL',
    );
  const statistics = statisticsQuery(view, select, query.epsilon);
  // The REST endpoint's refusals first (grouping by an identifying item, summing text), then WHERE's.
  planStatistics(view, statistics);
  const filters = filtersOf(view, select);
  return answerStatistics(ctx, caller, view, statistics, {
    description: query.sql,
    filters,
    render: (answer) => render(select, answer),
  });
}
