import { BadRequestError } from '../../errors/index.js';
import type { DpBounds } from '../../privacy/index.js';
import { isClear, type SecureView } from '../secure-view.js';
import { type CheckablePlan, collect, columnOf, isFunction, nameOf } from './shape.js';

// 可用不可见 under a grant that noises its answers (`sandboxNoise`): which columns of the answer are
// noised and how. Only what the discrete mechanisms can calibrate leaves: a column is either free
// of aggregates (a GROUP BY key, or a function of keys) or one bare COUNT, SUM or AVG; SUM and AVG
// read an unmasked numeric item with a declared value range (取值范围), into which each value is
// clamped. Anything else is refused before a row is read: no review could release it noised.

type Node = Record<string, unknown>;

const COUNTS = new Set(['count_star', 'count']);
const SUMS = new Set(['sum']);
const AVERAGES = new Set(['avg', 'mean']);

/** One column of the answer that is noised. */
export interface NoisedColumn {
  /** Its position among the answer's columns (the SELECT list). */
  index: number;
  aggregate: 'count' | 'sum' | 'avg';
  /** SUM and AVG: the column it reads, and the item's declared value range. */
  argument?: Node;
  bounds?: DpBounds;
}

/** How an answer is noised: ε per noised column, the columns, and what the answer costs. */
export interface NoisePlan {
  epsilon: number;
  columns: NoisedColumn[];
  /** ε × noised columns (an AVG spends ε once: ε/2 on its sum, ε/2 on its count). */
  cost: number;
}

/** 400 `sandbox_noise_unsupported`: what of the query cannot be noised, and what can. */
export const noiseUnsupported = (construct: string, message: string) =>
  new BadRequestError('sandbox_noise_unsupported', message, {
    construct,
    allowed:
      'GROUP BY keys, and bare count(*), count(item), count(DISTINCT item), sum(item), avg(item) over one resource',
  });

const notAggregable = (item: string, reason: string, message: string) =>
  new BadRequestError('item_not_aggregable', message, { item, reason });

/** The SUM or AVG's item, checked as the statistics endpoint checks it; its value range. */
function boundsOf(view: SecureView, argument: Node | undefined, fn: string): DpBounds {
  const name = argument && argument.class === 'COLUMN_REF' ? columnOf(argument) : undefined;
  const column = view.columns.find((c) => c.name.toLowerCase() === name);
  if (!column) throw noiseUnsupported(`${fn}()`, `${fn}() is noised only over one of the resource's items`);
  const item = view.resource.items.find((i) => i.name === column.item);
  if (!isClear(column.mask))
    throw notAggregable(column.item, 'masked', `${column.item} is masked: its values cannot be summed`);
  if (item?.dataType !== 'number')
    throw notAggregable(column.item, 'not_numeric', `${column.item} is not a number`);
  if (!item.bounds)
    throw notAggregable(
      column.item,
      'no_bounds',
      `${column.item} has no declared value range (取值范围): its ${fn}() cannot be noised`,
    );
  return item.bounds;
}

/** The output names an ORDER BY could use for a column: its alias, or its bare column name. */
function namesOf(node: Node): string[] {
  const alias = typeof node.alias === 'string' && node.alias ? [node.alias.toLowerCase()] : [];
  return node.class === 'COLUMN_REF' ? [...alias, columnOf(node)!] : alias;
}

/**
 * ORDER BY over a noised column would order the rows by their exact values (the order leaves with
 * the noised ones): refused. Ordering by keys is fine.
 */
function checkOrder(plan: CheckablePlan, noised: Set<number>, isAggregate: (n: Node) => boolean) {
  const select = plan.node.select_list as Node[];
  const noisedNames = new Set([...noised].flatMap((i) => namesOf(select[i]!)));
  for (const modifier of (plan.node.modifiers as Node[]) ?? []) {
    for (const order of (modifier.orders as Array<{ expression: Node }>) ?? []) {
      const e = order.expression;
      const value = (e.value as { value?: unknown } | undefined)?.value;
      const position = e.class === 'CONSTANT' && typeof value === 'number' ? value - 1 : -1;
      const named = e.class === 'COLUMN_REF' && noisedNames.has(columnOf(e)!);
      if (collect(e, isAggregate).length > 0 || noised.has(position) || named)
        throw noiseUnsupported(
          'ORDER BY a noised column',
          'ORDER BY a noised column would order the rows by their exact values: order by the keys, or sort the noised answer yourself',
        );
    }
  }
}

/**
 * Plans the noise of a checkable query under a grant with noise: every SELECT item that holds an
 * aggregate must be one bare COUNT, SUM or AVG (400 `sandbox_noise_unsupported` otherwise:
 * stddev, variance, an expression over an aggregate such as round(avg(x), 2)); SUM and AVG need an
 * unmasked numeric item with a value range (400 `item_not_aggregable`, as for statistics).
 */
export function planNoise(
  plan: CheckablePlan,
  view: SecureView,
  epsilon: number,
  aggregates: Set<string>,
): NoisePlan {
  const isAggregate = (n: Node) => isFunction(n) && aggregates.has(nameOf(n));
  const columns: NoisedColumn[] = [];
  (plan.node.select_list as Node[]).forEach((node, index) => {
    if (collect(node, isAggregate).length === 0) return;
    const fn = isFunction(node) ? nameOf(node) : '';
    if (!isAggregate(node) || ![...COUNTS, ...SUMS, ...AVERAGES].includes(fn))
      throw noiseUnsupported(
        fn && isAggregate(node) ? `${fn}()` : 'an expression over an aggregate',
        fn && isAggregate(node)
          ? `${fn}() cannot be noised: only count, sum and avg are`
          : 'Only a bare count, sum or avg can be noised: compute expressions (round, ratios…) from the noised columns yourself',
      );
    if (COUNTS.has(fn)) {
      columns.push({ index, aggregate: 'count' });
      return;
    }
    const argument = ((node.children as Node[]) ?? [])[0];
    const bounds = boundsOf(view, argument, fn);
    columns.push({ index, aggregate: SUMS.has(fn) ? 'sum' : 'avg', argument, bounds });
  });
  checkOrder(plan, new Set(columns.map((c) => c.index)), isAggregate);
  return { epsilon, columns, cost: Math.round(epsilon * columns.length * 1e6) / 1e6 };
}
