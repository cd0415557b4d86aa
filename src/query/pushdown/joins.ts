import { isClear, type ViewColumn } from '../secure-view.js';
import type { JoinEdge, ViewPushdown } from './predicate.js';
import { type Node, resolveColumn, type Scope } from './scope.js';

/**
 * Whether the sandbox's `a = b` compares what both sources hold without a cast: integers with
 * integers (clear: a masked integer is text), text with text (clear or masked, not a `null`
 * mask). A bigint joined to a varchar, a decimal or a date is never pushed.
 */
function joinable(a: ViewColumn, b: ViewColumn): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'integer') return isClear(a.mask) && isClear(b.mask);
  return a.type === 'string' && a.mask.kind !== 'null' && b.mask.kind !== 'null';
}

/**
 * An equi-join conjunct `x.a = y.b` between two tables of the scope (of WHERE or an inner join's
 * ON), as an edge of each side; null for anything else (one table, IS NOT DISTINCT FROM, a cast).
 */
export function joinEdges(scope: Scope, node: Node): Array<[string, JoinEdge]> | null {
  if (node.type !== 'COMPARE_EQUAL') return null;
  const left = resolveColumn(scope, node.left);
  const right = resolveColumn(scope, node.right);
  if (!left || !right || left.table === right.table || !joinable(left.column, right.column)) return null;
  return [
    [left.table, { column: left.column.name, table: right.table, otherColumn: right.column.name }],
    [right.table, { column: right.column.name, table: left.table, otherColumn: left.column.name }],
  ];
}

/**
 * The order to read a query's views in: those with pushed conditions first (their reads are the
 * likely small sides whose keys narrow the others), the rest after, each group as written.
 */
export function loadOrder(tables: string[], pushdown: Map<string, ViewPushdown>): string[] {
  const narrowed = (t: string) => (pushdown.get(t)?.predicates.length ?? 0) > 0;
  return [...tables.filter(narrowed), ...tables.filter((t) => !narrowed(t))];
}
