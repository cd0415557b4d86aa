import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A DuckDB instance that can touch only the given folders. */
export interface FileEngine {
  /** The connection that set the sandbox up; use it for one job at a time. */
  connection: DuckDBConnection;
  /** Another connection, for concurrent reads (the sandbox settings are instance-wide). */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

/** Quotes a string as a DuckDB literal (for file paths we generated; DDL cannot bind parameters). */
export function duckdbLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL in literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Opens an in-memory DuckDB for file work, sandboxed: external access off except for `folders`
 * (`allowed_directories`), extensions never loaded, configuration locked so SQL cannot widen it,
 * memory and threads bounded (it spills to a temp folder inside the sandbox). Conversions get the
 * upload's folder and the target folder; a source's reads get its own folder only, so a steward's
 * SELECT over one file cannot reach another organisation's. The query sandbox (query/) goes further
 * with `enable_external_access=false` and no folder at all.
 */
export async function openFileEngine(
  folders: string[],
  options: { memoryLimit?: string; threads?: number } = {},
): Promise<FileEngine> {
  const [first] = folders;
  if (!first) throw new Error('a file engine needs a folder');
  const spill = join(first, '.duckdb-tmp');
  await mkdir(spill, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.threads ?? 2),
    memory_limit: options.memoryLimit ?? '1GB',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const dirs = folders.map((f) => duckdbLiteral(f.endsWith('/') ? f : `${f}/`)).join(', ');
    // Order matters: the allowed folders first, then external access off, then the lock.
    await connection.run(`SET temp_directory = ${duckdbLiteral(spill)}`);
    await connection.run(`SET allowed_directories = [${dirs}]`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  return {
    connection,
    connect: () => instance.connect(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
