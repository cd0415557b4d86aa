import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { BadRequestError } from '../errors/index.js';
import type { Column, ColumnType, RowStream } from './row-stream.js';

/** Limits of one sandbox, i.e. of one consumer query. */
export interface SandboxLimits {
  memoryLimit: string;
  threads: number;
  timeoutMs: number;
  /** Directory under which each sandbox gets a private scratch folder (for Parquet output). */
  scratchRoot: string;
}

const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  decimal: 'DECIMAL(38, 10)',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  json: 'VARCHAR',
};

/** Quotes an identifier for DuckDB. */
export const quoteDuck = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A DuckDB instance for one query. Tables are loaded through the appender (no SQL, no files);
 * then `lock()` switches external access off for good (only the private scratch folder stays
 * reachable, for Parquet output written by our code) and locks the configuration, and only
 * then does the consumer's SQL run — with a timeout enforced by interrupting the connection.
 */
export class Sandbox {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly scratch: string,
    private readonly limits: SandboxLimits,
  ) {}

  /** Opens an empty sandbox. */
  static async open(limits: SandboxLimits): Promise<Sandbox> {
    const scratch = await mkdtemp(join(limits.scratchRoot, 'q-'));
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: limits.memoryLimit,
      threads: String(limits.threads),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      temp_directory: join(scratch, 'spill'),
    });
    const connection = await instance.connect();
    return new Sandbox(instance, connection, scratch, limits);
  }

  /** Creates a table and appends rows to it, batch by batch. */
  async load(table: string, stream: RowStream): Promise<number> {
    const columns = stream.columns.map((c) => `${quoteDuck(c.name)} ${DUCK_TYPES[c.type]}`).join(', ');
    await this.connection.run(`CREATE TABLE ${quoteDuck(table)} (${columns})`);
    const appender = await this.connection.createAppender(table);
    let rows = 0;
    try {
      for await (const batch of stream.batches) {
        for (const row of batch) {
          for (let i = 0; i < stream.columns.length; i++) append(appender, stream.columns[i]!, row[i]);
          appender.endRow();
        }
        rows += batch.length;
      }
    } finally {
      appender.closeSync();
    }
    return rows;
  }

  /** Switches off every file and network path for good (but the scratch folder) and locks the settings. */
  async lock(): Promise<void> {
    await this.connection.run(`SET allowed_directories = ['${this.scratch.replaceAll("'", "''")}/']`);
    await this.connection.run('SET enable_external_access = false');
    await this.connection.run('SET lock_configuration = true');
  }

  /** Runs SQL and streams its result; the timeout interrupts a runaway query with a clear error. */
  async stream(sql: string): Promise<RowStream> {
    const timer = this.deadline();
    try {
      const result = await this.connection.stream(sql);
      const columns: Column[] = result
        .columnNames()
        .map((name, i) => ({ name, type: columnType(String(result.columnType(i))) }));
      const batches = async function* (this: Sandbox) {
        try {
          for (;;) {
            const chunk = await result.fetchChunk();
            if (!chunk || chunk.rowCount === 0) break;
            yield chunk.getRows() as unknown[][];
          }
        } catch (error) {
          throw this.explain(error);
        } finally {
          clearTimeout(timer);
        }
      }.call(this);
      return { columns, batches };
    } catch (error) {
      clearTimeout(timer);
      throw this.explain(error);
    }
  }

  /** Writes the result of SQL to a Parquet file in the scratch folder and returns its path. */
  async copyToParquet(sql: string): Promise<string> {
    const path = join(this.scratch, 'result.parquet');
    const timer = this.deadline();
    try {
      await this.connection.run(
        `COPY (${sql}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      return path;
    } catch (error) {
      throw this.explain(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private timedOut = false;

  private deadline(): NodeJS.Timeout {
    return setTimeout(() => {
      this.timedOut = true;
      this.connection.interrupt();
    }, this.limits.timeoutMs);
  }

  private explain(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (this.timedOut || /INTERRUPT/i.test(message)) {
      return new BadRequestError(
        'query_timeout',
        `The query ran longer than ${this.limits.timeoutMs / 1000} s and was stopped`,
      );
    }
    if (/Out of Memory/i.test(message)) {
      return new BadRequestError(
        'query_memory_exceeded',
        `The query needed more than ${this.limits.memoryLimit} of memory and was stopped`,
      );
    }
    // DuckDB's binder and parser messages name only the consumer's own SQL, never paths or data.
    const first = message.split('\n')[0]!.replace(/^[A-Za-z ]+ Error: /, '');
    return new BadRequestError('query_failed', first);
  }

  /** Frees the instance and deletes the scratch folder. */
  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.scratch, { recursive: true, force: true });
  }
}

function append(appender: import('@duckdb/node-api').DuckDBAppender, column: Column, value: unknown): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'integer':
      appender.appendBigInt(typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))));
      break;
    case 'number':
      appender.appendDouble(Number(value));
      break;
    case 'boolean':
      appender.appendBoolean(Boolean(value));
      break;
    case 'date':
    case 'timestamp':
      // The appender casts text to the column type; ISO text keeps dates exact across time zones.
      appender.appendVarchar(value instanceof Date ? value.toISOString().replace('Z', '') : String(value));
      break;
    default:
      appender.appendVarchar(typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

/** Our column type for a DuckDB result type. */
export function columnType(duck: string): ColumnType {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(duck))
    return 'integer';
  if (/^(FLOAT|DOUBLE)$/.test(duck)) return 'number';
  if (duck.startsWith('DECIMAL')) return 'decimal';
  if (duck === 'BOOLEAN') return 'boolean';
  if (duck === 'DATE') return 'date';
  if (duck.startsWith('TIMESTAMP')) return 'timestamp';
  return 'string';
}
