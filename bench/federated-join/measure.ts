// bench/federated-join: 1,000,000 rows in PostgreSQL joined with 100,000 rows in MariaDB and
// aggregated, through POST /api/v1/query (each side pulled with its columns pushed down into a
// locked DuckDB), against the same join inside one PostgreSQL holding both tables: without a
// filter (every row moves), and with a selective filter on either side, where the filtered side
// is read first and its join keys narrow the other's read (dynamic filtering, pushdown/join-keys.ts).
// Each filtered shape is also run as it ran before dynamic filtering (the join written
// `p.id + 0`, which leaves the filter pushed but the keys not: the same answer) and with pushdown
// off (every allowed row of both sides moved).
import mysql from 'mysql2/promise';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { median, publishBound, startPlatform } from '../support/platform.js';
import { breakdown } from './breakdown.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
await pgc.connect();
await pgc.query('DROP SCHEMA IF EXISTS bench_fed CASCADE; CREATE SCHEMA bench_fed');
await pgc.query('CREATE TABLE bench_fed.people (id integer PRIMARY KEY, qh text, age integer)');
await pgc.query(
  `INSERT INTO bench_fed.people SELECT g, (350100 + g % 100)::text, g % 90 FROM generate_series(1, ${PEOPLE}) g`,
);
const maria = await mysql.createConnection({
  host: SERVICES.mariadb.host,
  port: SERVICES.mariadb.port,
  user: 'root',
  multipleStatements: true,
});
await maria.query('DROP DATABASE IF EXISTS bench_fed; CREATE DATABASE bench_fed; USE bench_fed');
await maria.query(
  'CREATE TABLE bench_fed.enterprises (id int PRIMARY KEY, owner_id int, capital decimal(14,2), sector int)',
);
await maria.query(
  `INSERT INTO bench_fed.enterprises SELECT seq, 1 + (seq * 7919) % ${PEOPLE}, seq % 1000, seq % 100 FROM seq_1_to_${ENTERPRISES}`,
);
// The baseline holds both tables in one PostgreSQL.
await pgc.query(
  'CREATE TABLE bench_fed.enterprises (id integer PRIMARY KEY, owner_id integer, capital numeric(14,2), sector integer)',
);
await pgc.query(
  `INSERT INTO bench_fed.enterprises SELECT g, 1 + (g * 7919) % ${PEOPLE}, g % 1000, g % 100 FROM generate_series(1, ${ENTERPRISES}) g`,
);
await pgc.query('ANALYZE bench_fed.people; ANALYZE bench_fed.enterprises');

const platform = await startPlatform('pglite');
const db = { host: '127.0.0.1', tls: { mode: 'disable' as const } };
const people = await publishBound(
  platform,
  platform.providerId,
  { kind: 'postgres', ...db, port: 5432, database: 'test', user: 'postgres' },
  { schema: 'bench_fed', table: 'people' },
  {
    items: [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '区划', field: 'qh', dataType: 'string' },
      { name: '年龄', field: 'age', dataType: 'number' },
    ],
  },
);
// One provider's PostgreSQL and MariaDB: join keys cross only within one organisation (or into
// the caller's own), see docs/query.md.
const enterprises = await publishBound(
  platform,
  platform.providerId,
  { kind: 'mysql', ...db, port: SERVICES.mariadb.port, database: 'bench_fed', user: 'root' },
  { schema: 'bench_fed', table: 'enterprises' },
  {
    items: [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '法人编号', field: 'owner_id', dataType: 'number' },
      { name: '注册资本', field: 'capital', dataType: 'number' },
      { name: '行业', field: 'sector', dataType: 'number' },
    ],
    sharingType: 'unconditional',
  },
);

const JOIN =
  'SELECT p.qh, count(*) AS n, sum(e.capital) AS capital FROM people p JOIN ent e ON e.owner_id = p.id';
const TAIL = ' GROUP BY p.qh ORDER BY p.qh';
const SHAPES = [
  { name: 'no filter (every row moves)', where: '', variants: false },
  // 1 % of the enterprises (1,000 rows, ≈ 1,000 owners): their keys narrow the 1M side.
  { name: 'filter on the MariaDB side (`e.sector = 7`, 1 %)', where: ' WHERE e.sector = 7', variants: true },
  // 1 % of the people (10,000 rows, 10,000 ids: the key cap): their keys narrow the 100k side.
  {
    name: "filter on the PostgreSQL side (`p.qh = '350107'`, 1 %)",
    where: " WHERE p.qh = '350107'",
    variants: true,
  },
  // The floor of any query: one row from one source (no join), for what bounds the ratio.
  {
    name: 'per-query floor: `SELECT qh FROM people WHERE id = 42`',
    sql: 'SELECT qh FROM people p WHERE id = 42',
    variants: false,
  },
];

const context = platform.server.query as { pushdown?: boolean };
async function ours(sql: string, pushdown = true) {
  context.pushdown = pushdown;
  const t = performance.now();
  const response = await fetch(`${platform.url}/api/v1/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.providerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sql, aliases: { people, ent: enterprises } }),
  });
  const body = (await response.json()) as { rows: unknown[] };
  if (!response.ok) throw new Error(JSON.stringify(body));
  context.pushdown = true;
  return { ms: performance.now() - t, rows: JSON.stringify(body.rows) };
}
async function direct(sql: string) {
  const t = performance.now();
  const result = await pgc.query(
    sql.replace('people p', 'bench_fed.people p').replace('ent e', 'bench_fed.enterprises e'),
  );
  return { ms: performance.now() - t, rows: result.rows.length };
}
async function medianOf(runs: number, once: () => Promise<{ ms: number }>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await once()).ms);
  return median(times);
}

console.log(
  `${PEOPLE.toLocaleString()} PostgreSQL rows ⋈ ${ENTERPRISES.toLocaleString()} MariaDB rows, grouped by 区划; medians of ${RUNS} (pushdown off and before: 3)`,
);
console.log(
  row([
    'Query',
    'Huitong (s)',
    'one PostgreSQL (s)',
    'ratio',
    'before: keys not pushed (s)',
    'pushdown off (s)',
  ]),
);
console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
for (const shape of SHAPES) {
  const sql = shape.sql ?? JOIN + shape.where + TAIL;
  const answer = (await ours(sql)).rows;
  const baseRows = (await direct(sql)).rows;
  if (JSON.parse(answer).length !== baseRows) throw new Error(`result differs for ${shape.name}`);
  const before = sql.replace('e.owner_id = p.id', 'e.owner_id = p.id + 0');
  if (shape.variants) {
    // The same answer whichever way the rows were read.
    if ((await ours(before)).rows !== answer) throw new Error(`before differs for ${shape.name}`);
    if ((await ours(sql, false)).rows !== answer) throw new Error(`off differs for ${shape.name}`);
  }
  const ourMs = await medianOf(RUNS, () => ours(sql));
  const baseMs = await medianOf(RUNS, () => direct(sql));
  const beforeMs = shape.variants ? await medianOf(3, () => ours(before)) : Number.NaN;
  const offMs = shape.variants ? await medianOf(3, () => ours(sql, false)) : Number.NaN;
  console.log(
    row([
      shape.name,
      fixed(ourMs / 1000, 3),
      fixed(baseMs / 1000, 3),
      `${fixed(ourMs / baseMs, 1)}×`,
      shape.variants ? fixed(beforeMs / 1000, 3) : '—',
      shape.variants ? fixed(offMs / 1000, 3) : '—',
    ]),
  );
}
const filtered = `${JOIN}${SHAPES[1]!.where}${TAIL}`;
const { steps, rows: loadedRows } = await breakdown(filtered, platform.server.query.sandbox, RUNS);
console.log(
  `\nWhere the time of the MariaDB-filter join goes (its steps timed one by one outside HTTP; rows loaded: ent ${loadedRows.ent}, people ${loadedRows.people}; medians of ${RUNS}):\n`,
);
console.log(row(['Step', 'ms']));
console.log(row(['---', '---:']));
let sum = 0;
for (const [step, times] of steps) {
  sum += median(times);
  console.log(row([step, fixed(median(times), 1)]));
}
console.log(row(['**sum of the steps**', fixed(sum, 1)]));
console.log('');
console.log(
  "> Target: ≤ 1.5× the single-PostgreSQL time with a selective filter. Ours includes pulling both sides (only the columns the SQL names, only the rows its filters and join keys let through) through the sources' drivers into DuckDB.",
);
await platform.close();
await pgc.query('DROP SCHEMA bench_fed CASCADE');
await pgc.end();
await maria.query('DROP DATABASE bench_fed');
await maria.end();
