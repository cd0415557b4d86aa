import { join } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResult,
} from '@duckdb/node-api';
import { appendChunks, type DecimalColumn, decimalOf } from './chunks.js';
import { sandboxFailureOf } from './duck-error.js';
import type { ChildSettings, NextRows, QueryStarted, Reply, Request, WireColumns } from './protocol.js';

// The child process of one sandbox: one in-memory DuckDB, driven by its parent over IPC. It is
// used for one query and then killed, so nothing it does outlives the query; the parent watches
// its RSS and kills it when it grows past the ceiling DuckDB's own memory_limit does not enforce.
// It locks itself (no files but its scratch folder, no network, no settings) before it says it is
// ready, so no request it ever receives runs on an open DuckDB: tables are created and filled
// through the appender, which needs neither files nor settings.

const settings = JSON.parse(process.argv[2] ?? '{}') as ChildSettings;
const send = (reply: Reply) => process.send?.(reply);
// The parent gone (crashed, killed, or its test worker ended), this process has no purpose.
process.on('disconnect', () => process.exit(0));

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** Rows gathered per `next` reply: a few DuckDB chunks, so a round trip carries enough. */
const ROWS_PER_REPLY = 8192;

const instance = await DuckDBInstance.create(':memory:', {
  memory_limit: settings.memoryLimit,
  threads: String(settings.threads),
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  temp_directory: join(settings.scratch, 'spill'),
});
const connection: DuckDBConnection = await instance.connect();
await connection.run(`SET allowed_directories = ['${settings.scratch.replaceAll("'", "''")}/']`);
await connection.run('SET enable_external_access = false');
await connection.run('SET lock_configuration = true');
let appender: DuckDBAppender | undefined;
let loaded = 0;
/** The DECIMAL columns of the table being loaded, by position. */
let decimals = new Map<number, DecimalColumn>();
let result: DuckDBResult | undefined;

/** A result value as structured clone carries it: DuckDB's value classes become their text. */
function plain(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && value.constructor?.name?.startsWith('DuckDB'))
    return String(value);
  return value;
}

function append(columns: WireColumns, rows: number): void {
  appendChunks(appender!, columns, rows, decimals);
  loaded += rows;
}

function endLoad(): number {
  appender?.closeSync();
  appender = undefined;
  return loaded;
}

/** Up to ROWS_PER_REPLY rows of the running result, and whether it has ended. */
async function nextRows(): Promise<NextRows> {
  const rows: unknown[][] = [];
  let done = !result;
  while (result && rows.length < ROWS_PER_REPLY) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) {
      done = true;
      result = undefined;
      break;
    }
    for (const row of chunk.getRows()) rows.push(row.map(plain));
  }
  return { rows, done };
}

async function handle(request: Exclude<Request, { op: 'interrupt' }>): Promise<unknown> {
  if ('tables' in request)
    for (const table of request.tables ?? [])
      await handle({ ...table, id: request.id, op: 'create', end: true });
  switch (request.op) {
    case 'create': {
      const columns = request.columns.map((c) => `${quote(c.name)} ${c.duckType}`).join(', ');
      await connection.run(`CREATE TABLE ${quote(request.table)} (${columns})`);
      appender = await connection.createAppender(request.table);
      decimals = new Map(
        request.columns.flatMap((c, i) => {
          const decimal = decimalOf(c.duckType);
          return decimal ? [[i, decimal] as const] : [];
        }),
      );
      loaded = 0;
      // A small table comes whole with its creation: one round trip instead of three.
      if (request.first) append(request.first.columns, request.first.rows);
      return request.end ? endLoad() : null;
    }
    case 'append':
      append(request.columns, request.rows);
      return null;
    case 'endLoad':
      return endLoad();
    case 'query': {
      result = await connection.stream(request.sql);
      const started: QueryStarted = {
        columns: result.columnNames().map((name, i) => ({ name, duckType: String(result!.columnType(i)) })),
        // The first rows come with the columns: a small answer takes one round trip.
        first: await nextRows(),
      };
      return started;
    }
    case 'next':
      return nextRows();
    case 'createAs': {
      await connection.run(`CREATE TABLE ${quote(request.table)} AS ${request.sql}`);
      const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${quote(request.table)}`);
      return Number(counted.getRows()[0]?.[0] ?? 0);
    }
    case 'copy':
      await connection.run(
        `COPY (${request.sql}) TO '${request.path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      return null;
  }
}

// Requests run one after another, in order; an interrupt acts at once on the running one.
let queue: Promise<void> = Promise.resolve();
process.on('message', (request: Request) => {
  if (request.op === 'interrupt') {
    connection.interrupt();
    return;
  }
  queue = queue.then(async () => {
    try {
      send({ id: request.id, value: await handle(request) });
    } catch (error) {
      // DuckDB's message may quote the data it failed on: only its class leaves this process.
      send({ id: request.id, error: sandboxFailureOf(error) });
    }
  });
});
send({ ready: true });
