// bench/export/copy-formats: why the Parquet export reads PostgreSQL's COPY as CSV, not binary.
// Over the export benchmark's 1,000,000-row table, in one run: the source's COPY … TO STDOUT in
// CSV and in BINARY, each read whole by this process (bytes and time), and the least a binary
// decoder in JavaScript must do — walk every tuple's field lengths, converting nothing — against
// DuckDB's own CSV reader typing the CSV into a table (what the Parquet export does with it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { median } from '../support/platform.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
await pgc.connect();
await pgc.query('DROP SCHEMA IF EXISTS bench_copyfmt CASCADE; CREATE SCHEMA bench_copyfmt');
await pgc.query(
  'CREATE TABLE bench_copyfmt.readings (id integer, credit_code text, month date, kwh numeric(12,2), note text)',
);
await pgc.query(
  `INSERT INTO bench_copyfmt.readings SELECT g, '91350100MA' || lpad((g % 100000)::text, 8, '0'), date '2025-01-01' + (g % 365), (g % 10000) / 3.0, '月度抄表' FROM generate_series(1, ${ROWS}) g`,
);
const SELECT = 'SELECT id, credit_code, month, kwh, note FROM bench_copyfmt.readings';

async function copy(format: 'csv' | 'binary'): Promise<{ ms: number; bytes: Buffer }> {
  const started = performance.now();
  const parts: Buffer[] = [];
  for await (const chunk of pgc.query(copyStreams.to(`COPY (${SELECT}) TO STDOUT (FORMAT ${format})`)))
    parts.push(chunk as Buffer);
  return { ms: performance.now() - started, bytes: Buffer.concat(parts) };
}

/** Walks a binary COPY's tuples (header, then per tuple a field count and each field's length). */
function walkBinary(data: Buffer): number {
  let at = 11 + 4; // signature, flags
  at += 4 + data.readUInt32BE(at); // the header extension: its length, then that many bytes
  let tuples = 0;
  for (;;) {
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) return tuples;
    for (let f = 0; f < fields; f++) {
      const length = data.readInt32BE(at);
      at += 4 + Math.max(length, 0); // -1: NULL, no bytes
    }
    tuples++;
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'copyfmt-'));
const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
const csvMs: number[] = [];
const binMs: number[] = [];
const walkMs: number[] = [];
const duckMs: number[] = [];
let sizes = { csv: 0, binary: 0 };
for (let i = 0; i < RUNS; i++) {
  const csv = await copy('csv');
  const binary = await copy('binary');
  csvMs.push(csv.ms);
  binMs.push(binary.ms);
  sizes = { csv: csv.bytes.length, binary: binary.bytes.length };
  let started = performance.now();
  const tuples = walkBinary(binary.bytes);
  walkMs.push(performance.now() - started);
  if (tuples !== ROWS) throw new Error(`walked ${tuples} tuples, expected ${ROWS}`);
  const file = join(scratch, 'copy.csv');
  writeFileSync(file, csv.bytes);
  started = performance.now();
  await duck.run(
    `CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('${file}', columns = {id: 'BIGINT', credit_code: 'VARCHAR', month: 'DATE', kwh: 'DECIMAL(18, 10)', note: 'VARCHAR'}, header = false, auto_detect = false)`,
  );
  duckMs.push(performance.now() - started);
}
rmSync(scratch, { recursive: true, force: true });
const rate = (ms: number[]) => Math.round(ROWS / (median(ms) / 1000)).toLocaleString();
console.log(
  `> ${ROWS.toLocaleString()} rows; medians of ${RUNS}; CSV ${fixed(sizes.csv / 2 ** 20, 0)} MiB, binary ${fixed(sizes.binary / 2 ** 20, 0)} MiB`,
);
console.log(row(['Step', 'median (ms)', 'rows/s']));
console.log(row(['---', '---:', '---:']));
for (const [label, ms] of [
  ['PostgreSQL COPY … (FORMAT csv), read whole', csvMs],
  ['PostgreSQL COPY … (FORMAT binary), read whole', binMs],
  ['JavaScript: walk the binary tuples (lengths only, nothing converted)', walkMs],
  ['DuckDB: read_csv of the CSV into a typed table', duckMs],
] as const)
  console.log(row([label, fixed(median(ms), 0), rate(ms)]));
await pgc.query('DROP SCHEMA bench_copyfmt CASCADE');
await pgc.end();
