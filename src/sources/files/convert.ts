import type { DuckDBConnection } from '@duckdb/node-api';
import { sourceError } from '../errors.js';
import type { FileFormat } from '../source-config.js';
import { duckdbType } from '../sql/column-types.js';
import type { DescribedColumn } from '../types.js';
import { duckdbLiteral } from './engine.js';
import { identifierColumns } from './identifier-columns.js';
import type { CsvLayout } from './transcode.js';

const lit = duckdbLiteral;

/** How a staged CSV is read: its fixed layout, and either inferred types or every value as text. */
interface CsvRead {
  fullScan?: boolean;
  /** Every column as text (to look at the values before types are chosen). */
  allText?: boolean;
  /** Columns read as text whatever their values look like (identifiers made of digits). */
  text?: string[];
}

function reader(format: FileFormat, path: string, layout: CsvLayout | undefined, read: CsvRead = {}): string {
  switch (format) {
    case 'csv':
    case 'xlsx': {
      const { delimiter, header } = layout ?? { delimiter: ',', header: true };
      // The layout is fixed (already validated by csv-parse); DuckDB infers only the column types,
      // from a sample unless a value outside it broke the guess (then from every row), except for
      // the identifier columns, which stay text.
      const types = read.text?.length
        ? `, types = {${read.text.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}}`
        : '';
      return `read_csv(${lit(path)}, header = ${header}, delim = ${lit(delimiter)}, quote = '"', escape = '"',
        strict_mode = true, null_padding = false, encoding = 'utf-8'${read.fullScan ? ', sample_size = -1' : ''}${
          read.allText ? ', all_varchar = true' : types
        })`;
    }
    case 'json':
      return `read_json(${lit(path)}, format = 'array')`;
    case 'ndjson':
      return `read_json(${lit(path)}, format = 'newline_delimited')`;
    case 'parquet':
      return `read_parquet(${lit(path)})`;
  }
}

// DuckDB's messages name files and echo SQL: keep the line number, drop the rest.
function conversionError(error: unknown, format: FileFormat): Error {
  const message = error instanceof Error ? error.message : String(error);
  const line = /line:?\s*(\d+)/i.exec(message)?.[1];
  if (/not utf-8 encoded|invalid unicode/i.test(message))
    return sourceError('invalid_encoding', 'The file is not valid UTF-8', {
      line: line ? Number(line) : null,
    });
  return sourceError(
    'malformed_file',
    format === 'parquet'
      ? 'The file is not a complete Parquet file'
      : `The ${format.toUpperCase()} file could not be read${line ? ` (line ${line})` : ''}`,
    { line: line ? Number(line) : null },
  );
}

/**
 * Converts a staged file (UTF-8 text, or Parquet) into a new Parquet file with DuckDB, which
 * streams it: a file of any size is read once and written once, in bounded memory.
 */
export async function convertToParquet(
  connection: DuckDBConnection,
  format: FileFormat,
  staged: string,
  out: string,
  layout?: CsvLayout,
): Promise<void> {
  const tabular = format === 'csv' || format === 'xlsx';
  const text = tabular
    ? await identifierColumns(connection, reader(format, staged, layout, { allText: true })).catch(
        (error) => {
          throw conversionError(error, format);
        },
      )
    : [];
  const copy = (fullScan: boolean) =>
    connection.run(
      `COPY (SELECT * FROM ${reader(format, staged, layout, { fullScan, text })}) TO ${lit(out)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  try {
    await copy(false);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (!/could not convert|conversion error/i.test(message) || (format !== 'csv' && format !== 'xlsx'))
      throw conversionError(error, format);
    await copy(true).catch((again) => {
      throw conversionError(again, format);
    });
  }
}

/** The columns and row count of a Parquet file. */
export async function describeParquet(
  connection: DuckDBConnection,
  path: string,
): Promise<{ columns: DescribedColumn[]; rowCount: number }> {
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`);
  const columns = described.getRowObjectsJS().map((r) => ({
    name: String(r.column_name),
    type: duckdbType(String(r.column_type)),
    nativeType: String(r.column_type),
    nullable: r.null !== 'NO',
  }));
  const meta = await connection.runAndReadAll(
    `SELECT sum(num_rows) AS n FROM parquet_file_metadata(${lit(path)})`,
  );
  return { columns, rowCount: Number(meta.getRowObjectsJS()[0]?.n ?? 0) };
}
