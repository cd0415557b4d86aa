// bench/export: a 1,000,000-row resource streamed as CSV and as Parquet through the API, in rows
// per second with the process's resident memory sampled during the run, against PostgreSQL's own
// COPY … TO STDOUT (CSV) of the same rows in the same run.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { BENCH_POSTGRES_SOURCE, publishBound, startPlatform } from '../support/platform.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
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

async function download(format: string) {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), 100);
  const started = performance.now();
  const response = await fetch(`${platform.url}/api/v1/resources/${code}/rows?format=${format}`, {
    headers: { authorization: `Bearer ${platform.providerKey}` },
  });
  if (!response.ok || !response.body)
    throw new Error(`${format}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { seconds, bytes, rssStart: samples[0]!, rssPeak: Math.max(...samples) };
}

const csv = await download('csv');
const parquet = await download('parquet');
const started = performance.now();
const copy = spawnSync(
  'psql',
  [SERVICES.postgres.url, '-qAt', '-c', 'COPY bench_export.readings TO STDOUT (FORMAT csv, HEADER)'],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (copy.status !== 0) throw new Error('psql COPY failed');
const copySeconds = (performance.now() - started) / 1000;
const mb = (n: number) => fixed(n / 2 ** 20, 0);
console.log(
  `${ROWS.toLocaleString()} rows × 5 columns streamed through GET /rows; RSS of the process that serves and downloads`,
);
console.log(
  row(['Format', 'rows/s', 'MB sent', 'RSS start → peak (MB)', 'PostgreSQL COPY CSV rows/s', 'ratio']),
);
console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
for (const [name, r] of [
  ['CSV', csv],
  ['Parquet (zstd)', parquet],
] as const) {
  console.log(
    row([
      name,
      fixed(ROWS / r.seconds, 0),
      mb(r.bytes),
      `${mb(r.rssStart)} → ${mb(r.rssPeak)}`,
      fixed(ROWS / copySeconds, 0),
      `${fixed((100 * copySeconds) / r.seconds, 0)}%`,
    ]),
  );
}
console.log(
  '> Target: ≥ 300,000 rows/s with memory flat. Parquet is written by DuckDB to a scratch file (spilling past its memory limit), then streamed.',
);
await platform.close();
await pgc.query('DROP SCHEMA bench_export CASCADE');
await pgc.end();
