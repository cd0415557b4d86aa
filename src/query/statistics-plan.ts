import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import type { DpBounds } from '../privacy/index.js';
import { isClear, type SecureView, type ViewColumn } from './secure-view.js';

const itemRef = z.string().min(1).max(100).describe('an item’s name or field name');

/** Body of POST /resources/{code}/statistics. */
export const StatisticsQuerySchema = z.strictObject({
  measures: z
    .array(
      z.discriminatedUnion('fn', [
        z.strictObject({ fn: z.literal('count') }),
        z.strictObject({ fn: z.enum(['sum', 'avg']), item: itemRef }),
      ]),
    )
    .min(1)
    .max(10)
    .describe('COUNT, SUM(item), AVG(item); SUM and AVG need an unmasked numeric item with a value range'),
  groupBy: z
    .strictObject({
      item: itemRef,
      groups: z
        .array(z.string().min(1).max(200))
        .min(1)
        .max(200)
        .describe('the public list of groups: every one is answered, present in the data or not'),
    })
    .optional(),
  epsilon: z.number().min(0.01).max(10).describe('ε of each measure; the answer costs ε × measures'),
});
export type StatisticsQuery = z.infer<typeof StatisticsQuerySchema>;

// Items whose values point at one person: grouping by them would answer about individuals.
const IDENTIFYING = new Set(['identity_document', 'biometric', 'bank_account', 'communication']);

/** A measure ready to run: its label, function and the position of its item in the rows read. */
export interface PlannedMeasure {
  label: string;
  fn: 'count' | 'sum' | 'avg';
  column?: number;
  bounds?: DpBounds;
}

/** What to read and compute for a statistics query. */
export interface StatisticsPlan {
  fields: string[];
  measures: PlannedMeasure[];
  groupColumn?: number;
  groups?: string[];
  /** Items read, for the release entry. */
  items: string[];
}

/** Whether an item of the view points at one person: it may neither group nor filter a statistic. */
export function isIdentifying(view: SecureView, column: ViewColumn): boolean {
  const kind = view.resource.items.find((i) => i.name === column.item)?.personalKind;
  return kind != null && IDENTIFYING.has(kind);
}

const notAggregable = (item: string, reason: string, message: string) =>
  new BadRequestError('item_not_aggregable', message, { item, reason });

function findColumn(view: SecureView, ref: string): ViewColumn {
  const column = view.columns.find((c) => c.item === ref || c.name === ref);
  // An item outside the grant is as unknown as one that does not exist.
  if (!column)
    throw new BadRequestError('unknown_field', `No item ${ref} is available to you`, { field: ref });
  return column;
}

/**
 * Checks a statistics query against the view and plans it: SUM and AVG only over unmasked numeric
 * items with a declared value range (their clamp and the noise's scale), GROUP BY only over a
 * public list of groups and never over an item that identifies a person.
 */
export function planStatistics(view: SecureView, query: StatisticsQuery): StatisticsPlan {
  const fields: string[] = [];
  const position = (column: ViewColumn) => {
    const at = fields.indexOf(column.name);
    if (at >= 0) return at;
    fields.push(column.name);
    return fields.length - 1;
  };
  const catalogItem = (column: ViewColumn) => view.resource.items.find((i) => i.name === column.item);
  let groupColumn: number | undefined;
  if (query.groupBy) {
    const column = findColumn(view, query.groupBy.item);
    if (isIdentifying(view, column))
      throw notAggregable(column.item, 'identifying', `${column.item} identifies a person: it cannot group`);
    groupColumn = position(column);
  }
  const measures = query.measures.map((m): PlannedMeasure => {
    if (m.fn === 'count') return { label: 'count', fn: 'count' };
    const column = findColumn(view, m.item);
    const item = catalogItem(column);
    if (!isClear(column.mask))
      throw notAggregable(column.item, 'masked', `${column.item} is masked: its values cannot be summed`);
    if (item?.dataType !== 'number')
      throw notAggregable(column.item, 'not_numeric', `${column.item} is not a number`);
    if (!item.bounds)
      throw notAggregable(column.item, 'no_bounds', `${column.item} has no declared value range (取值范围)`);
    return { label: `${m.fn}(${column.name})`, fn: m.fn, column: position(column), bounds: item.bounds };
  });
  // COUNT alone still reads one column, so that every row of the view is seen.
  if (fields.length === 0) fields.push(view.columns[0]!.name);
  return {
    fields,
    measures,
    groupColumn,
    groups: query.groupBy?.groups,
    items: fields.map((f) => view.columns.find((c) => c.name === f)!.item),
  };
}
