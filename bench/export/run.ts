// bench/export: a 1,000,000-row resource streamed as CSV and as Parquet through the API to curl,
// by the COPY path and by the row path (HUITONG_EXPORT_COPY=off), in rows per second with the
// server process's resident memory sampled during the run, against PostgreSQL's own
// COPY … TO STDOUT (CSV, by psql) of the same rows in the same run.
import { execSync, spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { BENCH_POSTGRES_SOURCE, publishBound, startPlatform } from '../support/platform.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const uptime = execSync('uptime')
  .toString()
  .trim()
  .replace(/^.*load average:\s*/, '');
const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
await pgc.connect();
await pgc.query('DROP SCHEMA IF EXISTS bench_export CASCADE; CREATE SCHEMA bench_export');
await pgc.query(
  'CREATE TABLE bench_export.readings (id integer, credit_code text, month date, kwh numeric(12,2), note text)',
);
await pgc.query(
  `INSERT INTO bench_export.readings SELECT g, '91350100MA' || lpad((g % 100000)::text, 8, '0'), date '2025-01-01' + (g % 365), (g % 10000) / 3.0, '月度抄表' FROM generate_series(1, ${ROWS}) g`,
);
const platform = await startPlatform('pglite');
const code = await publishBound(
  platform,
  platform.providerId,
  BENCH_POSTGRES_SOURCE,
  { schema: 'bench_export', table: 'readings' },
  {
    items: [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '统一社会信用代码', field: 'credit_code', dataType: 'string' },
      { name: '月份', field: 'month', dataType: 'date' },
      { name: '用电量', field: 'kwh', dataType: 'number' },
      { name: '备注', field: 'note', dataType: 'string' },
    ],
  },
);

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** One download by curl (its own process, as a client would), with this process's RSS sampled. */
async function download(format: string) {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), 100);
  const started = performance.now();
  const curl = spawn(
    'curl',
    [
      '-sS',
      '--fail',
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      '-H',
      `authorization: Bearer ${platform.providerKey}`,
      `${platform.url}/api/v1/resources/${code}/rows?format=${format}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  curl.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const status = await new Promise<number | null>((resolve) => curl.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  if (status !== 0) throw new Error(`${format}: curl exited with ${status}`);
  return { seconds, bytes: Number(out), rssStart: samples[0]!, rssPeak: Math.max(...samples) };
}

/** The median run of `RUNS` (by time), with the highest RSS peak of them all. */
async function measure(format: string, copy: boolean) {
  platform.server.query.exportCopy = copy;
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await download(format));
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    ...median,
    rssStart: runs[0]!.rssStart,
    rssPeak: Math.max(...runs.map((r) => r.rssPeak)),
  };
}

const copyRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const copy = spawnSync(
    'psql',
    [SERVICES.postgres.url, '-qAt', '-c', 'COPY bench_export.readings TO STDOUT (FORMAT csv, HEADER)'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (copy.status !== 0) throw new Error('psql COPY failed');
  copyRuns.push((performance.now() - started) / 1000);
}
const copySeconds = copyRuns.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
const results = [
  ['CSV', 'COPY', await measure('csv', true)],
  ['CSV', 'rows (HUITONG_EXPORT_COPY=off)', await measure('csv', false)],
  ['Parquet (zstd)', 'COPY → DuckDB', await measure('parquet', true)],
  ['Parquet (zstd)', 'rows (HUITONG_EXPORT_COPY=off)', await measure('parquet', false)],
] as const;
const mb = (n: number) => fixed(n / 2 ** 20, 0);
console.log(
  `${ROWS.toLocaleString()} rows × 5 columns streamed through GET /rows to curl (its own process); median of ${RUNS}; RSS of the server's process`,
);
console.log(
  row([
    'Format',
    'path',
    'rows/s',
    'MB sent',
    'RSS start → peak (MB)',
    'PostgreSQL COPY CSV (psql) rows/s',
    'ratio',
  ]),
);
console.log(row(['---', '---', '---:', '---:', '---:', '---:', '---:']));
for (const [name, path, r] of results) {
  console.log(
    row([
      name,
      path,
      fixed(ROWS / r.seconds, 0),
      mb(r.bytes),
      `${mb(r.rssStart)} → ${mb(r.rssPeak)}`,
      fixed(ROWS / copySeconds, 0),
      `${fixed((100 * copySeconds) / r.seconds, 0)}%`,
    ]),
  );
}
console.log(
  `> Target: ≥ 1,000,000 rows/s for CSV and Parquet with memory flat. The COPY path streams the secure view's \`COPY (SELECT …) TO STDOUT (FORMAT csv)\` (CSV: LF → CRLF and rows counted on the bytes; Parquet: fed through a named pipe in the sandbox's scratch to DuckDB, read with the columns' types, written as Parquet, streamed). Load (\`uptime\`) at the start: ${uptime}.`,
);
console.log(
  "> Before (2026-12-04, the row path only, downloaded by fetch inside the server's process): CSV 438,168 rows/s, Parquet 262,783 rows/s; PostgreSQL COPY CSV 1,998,285 rows/s.",
);
await platform.close();
await pgc.query('DROP SCHEMA bench_export CASCADE');
await pgc.end();
