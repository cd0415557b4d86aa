import { isClear } from '../secure-view.js';
import { conjunctsOf, pushableConjunct } from './conjuncts.js';
import { joinEdges } from './joins.js';
import type { ViewPushdown } from './predicate.js';
import { type Node, resolveColumn, type Scope, type ScopedView, scopeOf, tableReferences } from './scope.js';

/** Functions that turn one row into several (or none): a limit could not be read before them. */
const ROW_MULTIPLYING = new Set(['unnest', 'unlist']);

/** Whether a subtree has an aggregate, a window, a subquery or a set-returning call. */
function rowShaping(tree: unknown, aggregates: Set<string>): boolean {
  if (Array.isArray(tree)) return tree.some((t) => rowShaping(t, aggregates));
  if (tree === null || typeof tree !== 'object') return false;
  const node = tree as Node;
  if (node.class === 'WINDOW' || node.class === 'SUBQUERY') return true;
  if (node.class === 'FUNCTION') {
    const name = String(node.function_name).toLowerCase();
    if (aggregates.has(name) || ROW_MULTIPLYING.has(name)) return true;
  }
  return Object.values(node).some((v) => rowShaping(v, aggregates));
}

const constantInteger = (n: unknown): number | null => {
  const node = n as Node | null;
  if (node?.class !== 'CONSTANT') return null;
  const { value, is_null } = node.value as { value: unknown; is_null?: boolean };
  return !is_null && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
};

/**
 * The limit and order of a one-table SELECT whose every WHERE conjunct was pushed: rows past
 * LIMIT + OFFSET in the ORDER BY's order cannot reach the answer. Only without grouping,
 * aggregates, DISTINCT, windows or row-multiplying calls, and only ordered by clear integer
 * columns (text orders by collation in a source, by bytes in the sandbox).
 */
function limitOf(node: Node, scope: Scope, aggregates: Set<string>): Pick<ViewPushdown, 'sort' | 'limit'> {
  const modifiers = (node.modifiers as Node[] | undefined) ?? [];
  const limitModifier = modifiers.find((m) => m.type === 'LIMIT_MODIFIER');
  if (!limitModifier || modifiers.some((m) => m.type !== 'LIMIT_MODIFIER' && m.type !== 'ORDER_MODIFIER'))
    return {};
  if ((node.group_expressions as unknown[]).length || (node.group_sets as unknown[]).length) return {};
  if (node.having || node.qualify || node.aggregate_handling !== 'STANDARD_HANDLING') return {};
  if (rowShaping(node.select_list, aggregates)) return {};
  const limit = constantInteger(limitModifier.limit);
  const offset = limitModifier.offset ? constantInteger(limitModifier.offset) : 0;
  if (limit === null || offset === null) return {};
  const selected = node.select_list as Node[];
  const sort: NonNullable<ViewPushdown['sort']> = [];
  for (const order of (modifiers.find((m) => m.type === 'ORDER_MODIFIER')?.orders as Node[] | []) ?? []) {
    const resolved = resolveColumn(scope, order.expression);
    if (!resolved || !isClear(resolved.column.mask) || resolved.column.type !== 'integer') return {};
    // The sandbox puts NULLs last in both directions, as the connectors' ORDER BY does.
    if (order.null_order !== 'ORDER_DEFAULT' && order.null_order !== 'NULLS_LAST') return {};
    // ORDER BY binds a select-list alias before a table column: `SELECT -id AS id … ORDER BY id`.
    const name = resolved.column.name.toLowerCase();
    const shadowed = selected.some(
      (item) =>
        String(item.alias ?? '').toLowerCase() === name &&
        resolveColumn(scope, item)?.column !== resolved.column,
    );
    if (shadowed) return {};
    sort.push({ column: resolved.column.name, direction: order.type === 'DESCENDING' ? 'desc' : 'asc' });
  }
  return { sort, limit: limit + offset };
}

/**
 * What each view's read may leave out without changing the answer of the consumer's SELECT
 * (`statement`: DuckDB's serialised tree of it): the conjuncts of WHERE and of inner joins' ON
 * on one table's columns, their equi-joins between two tables (for dynamic filtering), and for a
 * query over one table, its LIMIT. Only for a top-level SELECT whose FROM is base tables under
 * inner joins, each named exactly once in the whole statement (a second reference, in a
 * subquery or a self-join, would need the rows left out).
 */
export function extractPushdown(
  statement: unknown,
  views: Map<string, ScopedView>,
  aggregates: Set<string>,
): Map<string, ViewPushdown> {
  const found = new Map<string, ViewPushdown>();
  const node = (statement as Node | null)?.node as Node | undefined;
  if (node?.type !== 'SELECT_NODE' || node.sample) return found;
  if (((node.cte_map as { map?: unknown[] } | undefined)?.map ?? []).length > 0) return found;
  const scope = scopeOf(node.from_table, views);
  if (!scope) return found;
  const references = tableReferences(statement);
  if (scope.tables.some((t) => references.get(t.table.toLowerCase()) !== 1)) return found;

  for (const t of scope.tables) found.set(t.table, { predicates: [] });
  let everyConjunct = true;
  for (const conjunct of [...conjunctsOf(node.where_clause), ...scope.conditions.flatMap(conjunctsOf)]) {
    const pushable = pushableConjunct(scope, conjunct);
    if (pushable) {
      found.get(pushable.table)!.predicates.push(...pushable.predicates);
      continue;
    }
    everyConjunct = false;
    for (const [table, edge] of joinEdges(scope, conjunct) ?? []) {
      const pushed = found.get(table)!;
      pushed.joins = [...(pushed.joins ?? []), edge];
    }
  }
  if (scope.tables.length === 1 && everyConjunct)
    Object.assign(found.get(scope.tables[0]!.table)!, limitOf(node, scope, aggregates));
  return found;
}
