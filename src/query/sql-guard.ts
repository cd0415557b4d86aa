import { BadRequestError, type ErrorCode } from '../errors/index.js';
import { serializeSql } from './duckdb-parser.js';
import { checkFunctionCall } from './function-policy.js';

/** What a consumer's SELECT reads: the tables it names (resource codes or aliases) and the columns it mentions. */
export interface InspectedSelect {
  tables: string[];
  /**
   * Column names mentioned anywhere (last part of each reference, lower-cased: DuckDB matches
   * names case-insensitively); 'all' when a star in any form (`*`, `t.*`, `* EXCLUDE (…)`,
   * `* REPLACE (…)`, `COLUMNS(…)`) or a whole-row reference (`SELECT t FROM t`) is used.
   */
  columns: Set<string> | 'all';
  /** DuckDB's serialised tree of the statement, for what may be pushed into the sources (pushdown/). */
  statement: unknown;
}

interface Found {
  tables: Set<string>;
  ctes: Set<string>;
  columns: Set<string>;
  /** Names and aliases of the tables referenced, lower-cased: a bare reference to one is the whole row. */
  relations: Set<string>;
  star: boolean;
}

// Table references a consumer's SQL may contain. Everything else — table functions
// (read_csv, duckdb_settings(), glob, query…), SHOW/DESCRIBE — is refused outright.
const ALLOWED_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'EMPTY', 'EXPRESSION_LIST']);
const MAX_SQL_LENGTH = 100_000;

type Node = Record<string, unknown>;

/** Line and column (from 1) of a character offset into the SQL; null when there is none. */
export function sqlPosition(sql: string, offset: number): { line: number; column: number } | null {
  if (!Number.isInteger(offset) || offset < 0 || offset > sql.length) return null;
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

const refuse = (code: ErrorCode, message: string): never => {
  throw new BadRequestError(code, message);
};

function visit(node: unknown, found: Found): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (n.type === 'TABLE_FUNCTION')
    refuse('table_function_forbidden', 'Table functions cannot be used; name resources instead');
  if (n.type === 'SHOW_REF')
    refuse('show_forbidden', 'DESCRIBE and SHOW are not available; see the resource’s items');
  if (n.type === 'VALUE_PARAMETER')
    refuse('parameters_forbidden', 'Query parameters are not supported; write literals');
  for (const key of ['from_table', 'left', 'right']) {
    const ref = n[key] as Node | undefined;
    const isTableRef = key === 'from_table' || n.type === 'JOIN';
    if (isTableRef && ref && typeof ref === 'object' && !ALLOWED_REFS.has(String(ref.type))) {
      if (ref.type === 'TABLE_FUNCTION')
        refuse('table_function_forbidden', 'Table functions cannot be used; name resources instead');
      if (ref.type === 'SHOW_REF')
        refuse('show_forbidden', 'DESCRIBE and SHOW are not available; see the resource’s items');
      refuse('table_reference_forbidden', `Table references of type ${String(ref.type)} are not allowed`);
    }
  }
  if (n.type === 'BASE_TABLE') {
    if (n.schema_name !== '' || n.catalog_name !== '') {
      refuse('qualified_name_forbidden', 'Name resources by code or alias only, without a schema or catalog');
    }
    found.tables.add(String(n.table_name));
    found.relations.add(String(n.table_name).toLowerCase());
    if (n.alias) found.relations.add(String(n.alias).toLowerCase());
  }
  if (n.class === 'COLUMN_REF' && Array.isArray(n.column_names))
    found.columns.add(String(n.column_names.at(-1)).toLowerCase());
  // Every form of star is one STAR node (EXCLUDE, REPLACE and COLUMNS(…) only add fields to it):
  // what it keeps is decided at bind time, so it reads every column of what it covers.
  if (n.class === 'STAR') found.star = true;
  if (n.type === 'JOIN' && Array.isArray(n.using_columns))
    for (const c of n.using_columns) found.columns.add(String(c));
  const cteMap = (n.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
  if (Array.isArray(cteMap)) for (const cte of cteMap) found.ctes.add(String(cte.key));
  // Aggregates used as window functions are WINDOW nodes, with the same function_name.
  if ((n.class === 'FUNCTION' || n.class === 'WINDOW') && typeof n.function_name === 'string')
    checkFunctionCall(n);
  for (const value of Object.values(n)) visit(value, found);
}

/**
 * Checks a consumer's SQL with DuckDB's own parser: exactly one SELECT (set operations and
 * CTEs included), no table functions, no qualified names, no parameters, no function that
 * reveals the engine or builds values of unbounded size (function-policy.ts). Returns the tables it
 * names; the caller resolves each to a resource the consumer may read, or answers 404.
 */
export async function inspectSelect(sql: string): Promise<InspectedSelect> {
  if (sql.length > MAX_SQL_LENGTH) refuse('sql_too_long', `SQL is limited to ${MAX_SQL_LENGTH} characters`);
  const tree = (await serializeSql(sql)) as {
    error: boolean;
    error_message?: string;
    error_type?: string;
    position?: string;
    statements?: unknown[];
  };
  if (tree.error) {
    if (/only select/i.test(tree.error_message ?? ''))
      refuse('not_a_select', 'Only SELECT statements are accepted');
    const reason = (tree.error_message ?? 'The SQL cannot be parsed').split('\n')[0]!;
    const at = sqlPosition(sql, Number(tree.position));
    throw new BadRequestError(
      'sql_syntax_error',
      at ? `${reason} (line ${at.line}, column ${at.column})` : reason,
      { reason, ...at },
    );
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) refuse('multiple_statements', 'Send exactly one SELECT statement');
  const found: Found = {
    tables: new Set(),
    ctes: new Set(),
    columns: new Set(),
    relations: new Set(),
    star: false,
  };
  visit(statements[0], found);
  const wholeRow = [...found.columns].some((c) => found.relations.has(c));
  return {
    tables: [...found.tables].filter((t) => !found.ctes.has(t)),
    columns: found.star || wholeRow ? 'all' : found.columns,
    statement: statements[0],
  };
}
