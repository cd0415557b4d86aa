import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isAppError, sourceError } from '../errors.js';
import { chunkRows } from '../files/duckdb-values.js';
import { duckdbLiteral, type FileEngine, openFileEngine } from '../files/engine.js';
import type { ReadFrom } from '../plan.js';
import type { BuiltSelect } from '../sql/build-select.js';
import { duckdbType } from '../sql/column-types.js';
import { DUCKDB } from '../sql/dialect.js';
import type { DescribedColumn } from '../types.js';
import type { Connector } from './connector.js';
import { relationSql, sqlRead, stewardSelect } from './sql-read.js';

/** The one table a file source has: its rows, under this name in reads and steward SELECTs. */
export const FILE_TABLE = 'data';

async function describeSql(connection: DuckDBConnection, select: string): Promise<DescribedColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${select}`);
  return reader.getRowObjectsJS().map((r) => ({
    name: String(r.column_name),
    type: duckdbType(String(r.column_type)),
    nativeType: String(r.column_type),
    nullable: r.null !== 'NO',
  }));
}

/**
 * A connector over an uploaded file's Parquet, read through a DuckDB of its own that can reach
 * only the source's folder. Filters, sort and limit run in DuckDB, which reads only the row
 * groups and columns the plan needs.
 */
export function parquetConnector(file: string): Connector {
  let engine: Promise<FileEngine> | undefined;
  const open = () => {
    engine ??= openFileEngine([dirname(file)], { memoryLimit: '512MB', threads: 2 }).then(async (e) => {
      await e.connection.run(
        `CREATE VIEW ${DUCKDB.quote(FILE_TABLE)} AS SELECT * FROM read_parquet(${duckdbLiteral(file)})`,
      );
      return e;
    });
    // A failed open is not kept: the next call tries again.
    engine.catch(() => {
      engine = undefined;
    });
    return engine;
  };
  // DuckDB's messages can name files; only a stable code leaves.
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isAppError(error)) throw error;
      throw sourceError('source_query_failed', 'The file could not be read', {
        reason: error instanceof Error ? error.message.split(':')[0] : null,
      });
    }
  };

  const describeFrom = (from: ReadFrom) =>
    wrap(async () => {
      const { connection } = await open();
      if (from.kind === 'query')
        return describeSql(connection, `SELECT * FROM (${stewardSelect(from.sql)}) AS q`);
      if (from.table !== FILE_TABLE || from.schema)
        throw sourceError('unknown_table', `A file source has one table, "${FILE_TABLE}"`, {
          table: from.table,
        });
      return describeSql(connection, `SELECT * FROM ${DUCKDB.quote(FILE_TABLE)}`);
    });

  async function* stream(select: BuiltSelect, batchSize: number) {
    const connection = await (await open()).connect();
    try {
      const result = await wrap(() => connection.stream(select.text, select.params as never[]));
      const typeIds = Array.from({ length: result.columnCount }, (_, i) => result.columnTypeId(i));
      let batch: unknown[][] = [];
      for (;;) {
        const chunk = await wrap(() => result.fetchChunk());
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunkRows(chunk, typeIds)) {
          batch.push(row);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      connection.closeSync();
    }
  }

  return {
    kind: 'file',
    dialect: 'duckdb',
    pushdown: true,
    test: async () => {
      const started = performance.now();
      const { connection } = await wrap(open);
      const reader = await wrap(() => connection.runAndReadAll('SELECT version() AS v'));
      return {
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        serverVersion: `DuckDB ${String(reader.getRowObjectsJS()[0]?.v ?? '')}`,
      };
    },
    describe: async () =>
      wrap(async () => {
        const { connection } = await open();
        const columns = await describeFrom({ kind: 'table', table: FILE_TABLE });
        const meta = await connection.runAndReadAll(
          `SELECT sum(num_rows) AS n FROM parquet_file_metadata(${duckdbLiteral(file)})`,
        );
        const rows = meta.getRowObjectsJS()[0]?.n;
        return {
          tables: [
            {
              schema: null,
              name: FILE_TABLE,
              kind: 'file',
              rowEstimate: rows === null || rows === undefined ? null : Number(rows),
              columns,
            },
          ],
        };
      }),
    describeFrom,
    read: (plan, options) =>
      sqlRead(
        { dialect: DUCKDB, describeFrom, relation: (from) => relationSql(DUCKDB, from), stream },
        plan,
        options?.batchSize,
      ),
    close: async () => {
      const current = engine;
      engine = undefined;
      if (current) (await current.catch(() => undefined))?.close();
    },
  };
}
