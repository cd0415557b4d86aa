import { z } from 'zod';
import type { ColumnType } from './types.js';

// A name as a source may spell it: printable, no NUL; quoting makes it safe, and reads check it
// against describe() before it is used.
const identifier = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20), 'no control characters');
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** Where a read takes its rows from: a table or view, or a SELECT the steward wrote. */
export const ReadFromSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('table'), schema: identifier.nullish(), table: identifier }),
  z.strictObject({
    kind: z.literal('query'),
    sql: z.string().min(1).max(100_000).describe('one SELECT, written by the source’s steward'),
  }),
]);
export type ReadFrom = z.infer<typeof ReadFromSchema>;

/** One row filter. Values always travel as bound parameters, never in the SQL text. */
export const FilterSchema = z.discriminatedUnion('op', [
  z.strictObject({ column: identifier, op: z.literal('eq'), value: scalar }),
  z.strictObject({ column: identifier, op: z.literal('in'), values: z.array(scalar).min(1).max(10_000) }),
  z.strictObject({
    column: identifier,
    op: z.literal('range'),
    min: scalar.optional(),
    max: scalar.optional(),
    /** Whether `max` itself is included (`min` always is): half-open ranges page dates cleanly. */
    maxInclusive: z.boolean().default(true),
  }),
  z.strictObject({ column: identifier, op: z.literal('like'), pattern: z.string().max(1000) }),
  z.strictObject({ column: identifier, op: z.literal('is_null'), value: z.boolean().default(true) }),
]);
export type Filter = z.infer<typeof FilterSchema>;

/** One sort key. */
export const SortKeySchema = z.strictObject({
  column: identifier,
  direction: z.enum(['asc', 'desc']).default('asc'),
});
export type SortKey = z.infer<typeof SortKeySchema>;

/**
 * A read to push down into the source: projection, filters (ANDed), sort, and either an offset
 * or a keyset position (`after`: the sort keys' values of the last row already seen).
 */
export const ReadPlanSchema = z
  .strictObject({
    from: ReadFromSchema,
    columns: z.array(identifier).max(1000).optional().describe('all described columns when absent'),
    filters: z.array(FilterSchema).max(100).default([]),
    sort: z.array(SortKeySchema).max(16).default([]),
    limit: z.number().int().min(0).max(100_000_000).optional(),
    offset: z.number().int().min(0).optional(),
    after: z.array(scalar).max(16).optional(),
  })
  .refine((p) => p.after === undefined || p.after.length === p.sort.length, {
    message: '`after` needs one value per sort key',
    path: ['after'],
  })
  .refine((p) => p.after === undefined || p.offset === undefined, {
    message: 'use `after` or `offset`, not both',
    path: ['offset'],
  });

/**
 * An extra SELECT expression pushed into the source, e.g. a mask built by privacy/'s `maskSql`:
 * `{ alias: 'id_no', build: (c) => maskSql(spec, c.column('id_no'), c.dialect, { bind: c.bind }) }`.
 * `build` runs once per read, in SELECT-list order, so `bind` numbers placeholders correctly.
 */
export interface SelectExpression {
  alias: string;
  /** The normalised type of the expression's result. */
  type: ColumnType;
  build(context: ExpressionContext): string;
}

/** What an expression builder may use: quoted, checked column references and parameter binding. */
export interface ExpressionContext {
  dialect: 'postgres' | 'mysql' | 'duckdb';
  /** The quoted reference to a described column; an unknown name is a 400 `unknown_column`. */
  column(name: string): string;
  /** Binds a value and returns its placeholder (`$3`, `?`). */
  bind(value: unknown): string;
  /**
   * The FROM item of another read of the same source (a quoted table, or a steward's SELECT as a
   * subquery), for uncorrelated subqueries: the data-quality checks' `IN (SELECT …)`. Its columns
   * are the caller's to check (describeFrom) and to quote (`quote`).
   */
  relation?(from: ReadFrom): string;
  /** Quotes an identifier in the source's dialect (for columns of `relation`). */
  quote?(identifier: string): string;
  /** The type a described column has as the source names it (`character varying(20)`), for type-exact conditions. */
  nativeType?(name: string): string;
}

/**
 * A condition pushed into the source's WHERE, built by the platform's own code (never a caller's
 * text): the data-quality checks read the rows that fail a rule, e.g. a wrong check digit.
 */
export interface SqlCondition {
  build(context: ExpressionContext): string;
}

/**
 * Group counts instead of rows: the selected columns and expressions become the GROUP BY key,
 * a count column named `alias` is added, only groups of fewer than `below` rows are returned
 * (all when absent), smallest first, at most `limit` of them (the k-anonymity check of query/:
 * `… GROUP BY … HAVING COUNT(*) < k ORDER BY COUNT(*) LIMIT n`).
 */
export interface GroupCount {
  alias: string;
  below?: number;
}

/** A read plan: the validated data part plus optional pushed-down expressions and group count. */
export type ReadPlan = z.input<typeof ReadPlanSchema> & {
  expressions?: SelectExpression[];
  groupCount?: GroupCount;
  conditions?: SqlCondition[];
};
/** A read plan after validation (defaults filled in). */
export type ParsedReadPlan = z.output<typeof ReadPlanSchema> & {
  expressions?: SelectExpression[];
  groupCount?: GroupCount;
  conditions?: SqlCondition[];
};
