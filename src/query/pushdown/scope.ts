import type { ViewColumn } from '../secure-view.js';
import type { Literal } from './predicate.js';

/** A node of DuckDB's serialised syntax tree. */
export type Node = Record<string, unknown>;

/**
 * What the extraction needs of a table: its delivered columns (a secure view's, or those another
 * node delivers for one of its resources, remote-table.ts).
 */
export interface ScopedView {
  columns: ViewColumn[];
}

/** One table of the FROM: the key of its view (as the SQL named it), and how the SQL may qualify it. */
export interface ScopeTable {
  table: string;
  view: ScopedView;
  qualifier: string;
}

/** The tables of a top-level FROM made only of base tables under inner and cross joins, with the ON conditions. */
export interface Scope {
  tables: ScopeTable[];
  conditions: Node[];
}

const asNode = (n: unknown): Node | null => (n !== null && typeof n === 'object' ? (n as Node) : null);

/**
 * The FROM as a scope, or null when any part of it could change which source rows matter
 * (outer, semi, anti, as-of, natural or USING joins; subqueries, samples, a table that is no view).
 */
export function scopeOf(from: unknown, views: Map<string, ScopedView>): Scope | null {
  const node = asNode(from);
  if (!node) return null;
  if (node.type === 'BASE_TABLE') {
    if (node.sample) return null;
    const name = String(node.table_name).toLowerCase();
    const key = [...views.keys()].find((k) => k.toLowerCase() === name);
    if (key === undefined) return null;
    const qualifier = String(node.alias || node.table_name).toLowerCase();
    return { tables: [{ table: key, view: views.get(key)!, qualifier }], conditions: [] };
  }
  if (node.type !== 'JOIN' || node.join_type !== 'INNER') return null;
  if (node.ref_type !== 'REGULAR' && node.ref_type !== 'CROSS') return null;
  if (Array.isArray(node.using_columns) && node.using_columns.length > 0) return null;
  const left = scopeOf(node.left, views);
  const right = scopeOf(node.right, views);
  if (!left || !right) return null;
  const condition = asNode(node.condition);
  return {
    tables: [...left.tables, ...right.tables],
    conditions: [...left.conditions, ...right.conditions, ...(condition ? [condition] : [])],
  };
}

/** How many times each table name (lower-cased) is referenced anywhere in a tree. */
export function tableReferences(tree: unknown, counts = new Map<string, number>()): Map<string, number> {
  if (Array.isArray(tree)) for (const child of tree) tableReferences(child, counts);
  else if (tree !== null && typeof tree === 'object') {
    const node = tree as Node;
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      const name = node.table_name.toLowerCase();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const value of Object.values(node)) tableReferences(value, counts);
  }
  return counts;
}

/** A column of the scope that a reference names without doubt (as DuckDB binds it: case-insensitively). */
export interface Resolved {
  table: string;
  column: ViewColumn;
}

const columnOf = (view: ScopedView, name: string): ViewColumn | null => {
  const matches = view.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  return matches.length === 1 ? matches[0]! : null;
};

/**
 * The view column a COLUMN_REF names: `t.col` in the table qualified `t`, `col` in the one table
 * that has it; null when it is anything else (ambiguous, a struct field, a select-list alias).
 */
export function resolveColumn(scope: Scope, ref: unknown): Resolved | null {
  const node = asNode(ref);
  if (node?.class !== 'COLUMN_REF' || !Array.isArray(node.column_names)) return null;
  const names = node.column_names.map(String);
  if (names.length === 2) {
    const table = scope.tables.find((t) => t.qualifier === names[0]!.toLowerCase());
    const column = table && columnOf(table.view, names[1]!);
    return table && column ? { table: table.table, column } : null;
  }
  if (names.length !== 1) return null;
  const found = scope.tables.flatMap((t) => {
    const column = columnOf(t.view, names[0]!);
    return column ? [{ table: t.table, column }] : [];
  });
  return found.length === 1 ? found[0]! : null;
}

const INTEGER_LITERALS = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
]);

/** A non-null integer (exact in JS) or string constant; null for anything else (casts, NULL, decimals). */
export function literalOf(n: unknown): Literal | null {
  const node = asNode(n);
  if (node?.class !== 'CONSTANT') return null;
  const { type, value, is_null } = node.value as { type: { id: string }; value: unknown; is_null?: boolean };
  if (is_null) return null;
  // NUL cannot be bound as PostgreSQL text: the source would fail where the sandbox answers.
  if (type.id === 'VARCHAR' && typeof value === 'string')
    return value.includes('\u0000') ? null : { kind: 'text', value };
  if (INTEGER_LITERALS.has(type.id) && typeof value === 'number' && Number.isSafeInteger(value))
    return { kind: 'integer', value };
  return null;
}
