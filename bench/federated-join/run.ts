// bench/federated-join: 1,000,000 rows in PostgreSQL joined with 100,000 rows in MariaDB and
// aggregated, through POST /api/v1/query (each side pulled with its columns pushed down into a
// locked DuckDB), against the same join inside one PostgreSQL holding both tables.
import mysql from 'mysql2/promise';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { median, publishBound, startPlatform } from '../support/platform.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

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
  'CREATE TABLE bench_fed.enterprises (id int PRIMARY KEY, owner_id int, capital decimal(14,2))',
);
await maria.query(
  `INSERT INTO bench_fed.enterprises SELECT seq, 1 + (seq * 7919) % ${PEOPLE}, seq % 1000 FROM seq_1_to_${ENTERPRISES}`,
);
// The baseline holds both tables in one PostgreSQL.
await pgc.query(
  'CREATE TABLE bench_fed.enterprises (id integer PRIMARY KEY, owner_id integer, capital numeric(14,2))',
);
await pgc.query(
  `INSERT INTO bench_fed.enterprises SELECT g, 1 + (g * 7919) % ${PEOPLE}, g % 1000 FROM generate_series(1, ${ENTERPRISES}) g`,
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
const enterprises = await publishBound(
  platform,
  platform.consumerId,
  { kind: 'mysql', ...db, port: SERVICES.mariadb.port, database: 'bench_fed', user: 'root' },
  { schema: 'bench_fed', table: 'enterprises' },
  {
    items: [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '法人编号', field: 'owner_id', dataType: 'number' },
      { name: '注册资本', field: 'capital', dataType: 'number' },
    ],
    sharingType: 'unconditional',
  },
);

const SQL =
  'SELECT p.qh, count(*) AS n, sum(e.capital) AS capital FROM people p JOIN ent e ON e.owner_id = p.id GROUP BY p.qh ORDER BY p.qh';
const ours: number[] = [];
const base: number[] = [];
let ourRows = 0;
let baseRows = 0;
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  const response = await fetch(`${platform.url}/api/v1/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.providerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sql: SQL, aliases: { people, ent: enterprises } }),
  });
  const body = (await response.json()) as { rows: unknown[] };
  if (!response.ok) throw new Error(JSON.stringify(body));
  ours.push(performance.now() - t);
  ourRows = body.rows.length;
  t = performance.now();
  const direct = await pgc.query(
    SQL.replace('people p', 'bench_fed.people p').replace('ent e', 'bench_fed.enterprises e'),
  );
  base.push(performance.now() - t);
  baseRows = direct.rows.length;
}
if (ourRows !== baseRows) throw new Error(`result differs: ${ourRows} vs ${baseRows} groups`);
console.log(
  `${PEOPLE.toLocaleString()} PostgreSQL rows ⋈ ${ENTERPRISES.toLocaleString()} MariaDB rows, grouped into ${ourRows} groups; median of ${RUNS}`,
);
console.log(row(['Figure', 'Huitong (s)', 'one PostgreSQL (s)', 'ratio']));
console.log(row(['---', '---:', '---:', '---:']));
console.log(
  row([
    'federated join + aggregate',
    fixed(median(ours) / 1000, 2),
    fixed(median(base) / 1000, 2),
    `${fixed(median(ours) / median(base), 1)}×`,
  ]),
);
console.log(
  "> Target: ≤ 3× the single-PostgreSQL time. Ours includes pulling both sides (only the columns the SQL names) through the sources' drivers into DuckDB.",
);
await platform.close();
await pgc.query('DROP SCHEMA bench_fed CASCADE');
await pgc.end();
await maria.query('DROP DATABASE bench_fed');
await maria.end();
