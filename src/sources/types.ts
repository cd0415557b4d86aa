import { z } from 'zod';

/** The kinds of source a steward can register (数据源类型). */
export const SourceKindSchema = z.enum(['postgres', 'mysql', 'file', 'http_json']);
export type SourceKind = z.infer<typeof SourceKindSchema>;

/**
 * Value types normalised across sources; the same names the query pipeline delivers
 * (`query/row-stream.ts`), so a described column needs no second mapping there.
 */
export const ColumnTypeSchema = z.enum([
  'string',
  'integer',
  'number',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'json',
]);
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

/** One column as the source describes it. */
export const DescribedColumnSchema = z.object({
  name: z.string(),
  type: ColumnTypeSchema,
  nativeType: z.string().describe('the type as the source names it, e.g. `character varying(20)`'),
  nullable: z.boolean(),
});
export type DescribedColumn = z.infer<typeof DescribedColumnSchema>;

/** One table, view, file or API record set. */
export const DescribedTableSchema = z.object({
  schema: z
    .string()
    .nullable()
    .describe('database schema (PostgreSQL) or database (MySQL); null for files and APIs'),
  name: z.string(),
  kind: z.enum(['table', 'view', 'file', 'api']),
  rowEstimate: z.number().nullable().describe('planner statistics or file metadata; not an exact count'),
  columns: z.array(DescribedColumnSchema),
});
export type DescribedTable = z.infer<typeof DescribedTableSchema>;

/** What `describe()` returns: every table the source's credentials can see. */
export const SourceDescriptionSchema = z.object({ tables: z.array(DescribedTableSchema) });
export type SourceDescription = z.infer<typeof SourceDescriptionSchema>;

/** What a successful connection test reports. */
export const TestResultSchema = z.object({
  ok: z.literal(true),
  latencyMs: z.number(),
  serverVersion: z.string().nullable(),
});
export type TestResult = z.infer<typeof TestResultSchema>;

/** A delivered column: its name and normalised type. */
export interface ResultColumn {
  name: string;
  type: ColumnType;
}

/**
 * Rows as a connector yields them: the columns, then batches of value arrays in column order.
 * Pulled lazily, so a slow consumer slows the source (back-pressure); breaking out of the loop
 * releases the connection.
 */
export interface RowBatches {
  columns: ResultColumn[];
  batches: AsyncIterable<unknown[][]>;
}
