// bench/query-load: a SQL query whose conditions cannot narrow its read (upper() runs in the
// sandbox), so every allowed row of a 1,000,000-row PostgreSQL resource is loaded into the
// sandbox before it runs: loaded from the source's COPY (the default for a side past one append
// batch) and as row objects (HUITONG_QUERY_COPY_LOAD=off), against the same query straight on
// PostgreSQL. Both platforms run in this process, as in bench/query-pushdown.
import { loadavg } from 'node:os';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import {
  BENCH_POSTGRES_SOURCE,
  type BenchPlatform,
  median,
  publishBound,
  startPlatform,
} from '../support/platform.js';

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 1500);
const SCHEMA = 'bench_load';

const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
await pgc.connect();
await pgc.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
await pgc.query(
  `CREATE TABLE ${SCHEMA}.people (id bigint PRIMARY KEY, qh text, age integer, je numeric(12, 2), d date)`,
);
await pgc.query(
  `INSERT INTO ${SCHEMA}.people SELECT g, (350100 + g % 100)::text, g % 90, (g % 100000) / 100.0, DATE '2020-01-01' + g % 1000 FROM generate_series(1, ${ROWS}) g`,
);
await pgc.query(`ANALYZE ${SCHEMA}.people`);

const SQL =
  "SELECT qh, count(*) AS n, sum(je) AS je, avg(age) AS age, max(d) AS d FROM people WHERE upper(qh) <> 'X' GROUP BY qh ORDER BY qh";

async function platformWith(copy: 'on' | 'off') {
  const platform = await startPlatform('pglite', { HUITONG_QUERY_COPY_LOAD: copy });
  const code = await publishBound(
    platform,
    platform.providerId,
    BENCH_POSTGRES_SOURCE,
    { schema: SCHEMA, table: 'people' },
    {
      items: [
        { name: '编号', field: 'id', dataType: 'number' },
        { name: '区划', field: 'qh', dataType: 'string' },
        { name: '年龄', field: 'age', dataType: 'number' },
        { name: '金额', field: 'je', dataType: 'number' },
        { name: '日期', field: 'd', dataType: 'date' },
      ],
      sharingType: 'unconditional',
    },
  );
  return { platform, code };
}

async function viaApi({ platform, code }: { platform: BenchPlatform; code: string }) {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i <= RUNS; i++) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const started = performance.now();
    const response = await fetch(`${platform.url}/api/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.consumerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: SQL, aliases: { people: code } }),
    });
    const body = (await response.json()) as { rows: Array<{ n: number }> };
    if (!response.ok || body.rows.length !== 100 || body.rows.reduce((s, r) => s + r.n, 0) !== ROWS)
      throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 300)}`);
    answer = JSON.stringify(body.rows);
    // The first run warms the pools, the sandbox child and the metadata cache.
    if (i > 0) times.push(performance.now() - started);
  }
  return { times, answer };
}

const copied = await platformWith('on');
const viaCopy = await viaApi(copied);
await copied.platform.close();
const rowsOnly = await platformWith('off');
const viaRows = await viaApi(rowsOnly);
await rowsOnly.platform.close();
if (viaCopy.answer !== viaRows.answer) throw new Error('the COPY load and the row load answered differently');

const direct: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await pgc.query(SQL.replace('FROM people', `FROM ${SCHEMA}.people`));
  direct.push(performance.now() - started);
}

console.log(
  `> ${ROWS.toLocaleString()} PostgreSQL rows, every one loaded; \`${SQL}\`; medians of ${RUNS}; load average ${loadavg()
    .map((l) => fixed(l, 1))
    .join(' / ')}`,
);
console.log(row(['Figure', 'Huitong p50 (ms)', 'rows/s loaded', 'PostgreSQL p50 (ms)', 'ratio']));
console.log(row(['---', '---:', '---:', '---:', '---:']));
for (const [label, times] of [
  ['POST /query, side loaded from COPY', viaCopy.times],
  ['POST /query, HUITONG_QUERY_COPY_LOAD=off (row objects)', viaRows.times],
] as const)
  console.log(
    row([
      label,
      fixed(median(times), 0),
      Math.round(ROWS / (median(times) / 1000)).toLocaleString(),
      fixed(median(direct), 0),
      `${fixed(median(times) / median(direct), 1)}×`,
    ]),
  );
await pgc.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
await pgc.end();
