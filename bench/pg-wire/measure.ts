// bench/pg-wire (started by run.ts): the PostgreSQL wire listener against POST /api/v1/query and against PostgreSQL
// itself, in the same run. A point query (WHERE id = $1) and a 1,000-row query (WHERE id BETWEEN
// $1 AND $2) at 32 connections, node-postgres clients in a separate process (bench/pg-wire/load.ts)
// for the listener and for PostgreSQL, the same loop with fetch for the HTTP API; then
// COPY (SELECT …) TO STDOUT of 1,000,000 rows through the listener and straight on PostgreSQL.
// The platform (HTTP API and listener) runs in this process, as in the other benches; the
// consumer reads under a grant with every item, no mask, no row filter and exports allowed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPgWire } from '../../src/pg-wire/index.js';
import { approveAccessRequest, createAccessRequest } from '../../src/sharing/index.js';
import { buildUser } from '../../test/support/factories.js';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { BENCH_POSTGRES_SOURCE, median, publishBound, startPlatform } from '../support/platform.js';

const QUERY_ROWS = Number(process.env.BENCH_PGWIRE_ROWS ?? 10_000);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 1_000_000);
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STORE = (process.env.BENCH_STORE ?? 'postgres') as 'pglite' | 'postgres';
const ONLY = process.env.BENCH_ONLY; // `queries` or `copy`

const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS bench_pgwire CASCADE; CREATE SCHEMA bench_pgwire');
await admin.query(
  'CREATE TABLE bench_pgwire.people (id integer PRIMARY KEY, xm text, qh text, age integer, note text)',
);
await admin.query(
  `INSERT INTO bench_pgwire.people SELECT g, '张' || g, (350000 + g % 1000)::text, g % 90, '户籍登记'
     FROM generate_series(1, ${QUERY_ROWS}) g`,
);
await admin.query(
  'CREATE TABLE bench_pgwire.readings (id integer, credit_code text, month date, kwh numeric(12,2), note text)',
);
await admin.query(
  `INSERT INTO bench_pgwire.readings SELECT g, '91350100MA' || lpad((g % 100000)::text, 8, '0'),
     date '2025-01-01' + (g % 365), (g % 10000) / 3.0, '月度抄表' FROM generate_series(1, ${COPY_ROWS}) g`,
);
await admin.query('ANALYZE bench_pgwire.people; ANALYZE bench_pgwire.readings');

const platform = await startPlatform(STORE);
const db = platform.server.store.db;
const resource = (name: string, items: Array<[string, string, 'number' | 'string' | 'date']>) => ({
  name,
  items: items.map(([item, field, dataType]) => ({ name: item, field, dataType })),
  sharingType: 'conditional' as const,
  sharingConditions: '基准测试',
  sharingMethods: ['api' as const, 'file' as const],
});
const people = await publishBound(
  platform,
  platform.providerId,
  BENCH_POSTGRES_SOURCE,
  { schema: 'bench_pgwire', table: 'people' },
  resource('人口基准', [
    ['编号', 'id', 'number'],
    ['姓名', 'xm', 'string'],
    ['区划', 'qh', 'string'],
    ['年龄', 'age', 'number'],
    ['备注', 'note', 'string'],
  ]),
);
const readings = await publishBound(
  platform,
  platform.providerId,
  BENCH_POSTGRES_SOURCE,
  { schema: 'bench_pgwire', table: 'readings' },
  resource('抄表基准', [
    ['编号', 'id', 'number'],
    ['统一社会信用代码', 'credit_code', 'string'],
    ['月份', 'month', 'date'],
    ['用电量', 'kwh', 'number'],
    ['备注', 'note', 'string'],
  ]),
);
const userOf = async (orgId: string, role: 'analyst' | 'data_steward') => {
  const u = await buildUser(db, { orgId, roles: [role] });
  return { kind: 'user' as const, userId: u.id, orgId, username: u.username, roles: u.roles };
};
const analyst = await userOf(platform.consumerId, 'analyst');
const steward = await userOf(platform.providerId, 'data_steward');
for (const [code, items] of [
  [people, ['编号', '姓名', '区划', '年龄', '备注']],
  [readings, ['编号', '统一社会信用代码', '月份', '用电量', '备注']],
] as const) {
  const request = await createAccessRequest(db, analyst, {
    applicationId: platform.consumerApplicationId,
    resourceCode: code,
    items: [...items],
    purpose: '基准测试',
    legalBasis: '基准测试',
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  });
  await approveAccessRequest(db, steward, request.id, { quota: null, mayExport: true });
}
const application = await db
  .selectFrom('applications')
  .select('name')
  .where('id', '=', platform.consumerApplicationId)
  .executeTakeFirstOrThrow();
const wire = await startPgWire({
  query: platform.server.query,
  store: platform.server.store,
  audit: platform.server.audit,
  port: 0,
  host: '127.0.0.1',
  throttle: {
    account: { backoffAfter: 1000, lockAfter: 2000, lockSeconds: 60 },
    address: { backoffAfter: 1000, lockAfter: 2000, lockSeconds: 60 },
    forgetSeconds: 600,
  },
});
const viaWire = {
  host: '127.0.0.1',
  port: wire.port,
  user: application.name,
  password: platform.consumerKey,
  database: 'huitong',
};
const direct = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

// The wire's names of the two resources (schema p_<provider>, table r_<classification>_<sequence>).
const probe = new pg.Client(viaWire);
await probe.connect();
const listed = await probe.query<{ table_schema: string; table_name: string }>(
  "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'p_%'",
);
await probe.end();
const wireName = (code: string) => {
  const t = listed.rows.find((r) => r.table_name.endsWith(code.split('-').at(-1)!));
  if (!t) throw new Error(`${code} is not listed over the wire: ${JSON.stringify(listed.rows)}`);
  return `${t.table_schema}.${t.table_name}`;
};

const run = promisify(execFile);
const loadScript = new URL('./load.ts', import.meta.url).pathname;
async function load<T>(job: Record<string, unknown>): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', loadScript, JSON.stringify(job)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rowsPerQuery?: number;
  lastError?: string;
}
const COLUMNS = 'id, xm, qh, age, note';
const QUERIES = [
  { name: 'point (WHERE id = $1)', where: 'id = $1', span: 1 },
  { name: '1,000 rows (WHERE id BETWEEN $1 AND $2)', where: 'id BETWEEN $1 AND $2', span: 1000 },
] as const;
const PATHS = ['listener', 'POST /api/v1/query', 'PostgreSQL'] as const;
const measured = new Map<string, Load[]>();
const common = { ids: QUERY_ROWS, connections: CONNECTIONS, seconds: SECONDS };

if (ONLY !== 'copy')
  for (let r = 0; r < RUNS; r++)
    for (const q of QUERIES)
      for (const path of PATHS) {
        const from =
          path === 'listener'
            ? wireName(people)
            : path === 'PostgreSQL'
              ? 'bench_pgwire.people'
              : `"${people}"`;
        const sql = `SELECT ${COLUMNS} FROM ${from} WHERE ${q.where}`;
        const result =
          path === 'POST /api/v1/query'
            ? await load<Load>({
                kind: 'http',
                url: platform.url,
                key: platform.consumerKey,
                sql,
                span: q.span,
                ...common,
              })
            : await load<Load>({
                kind: 'sql',
                target: path === 'listener' ? viaWire : direct,
                sql,
                span: q.span,
                ...common,
              });
        if (result.lastError)
          console.error(`${q.name} via ${path}: ${result.errors} errors, e.g. ${result.lastError}`);
        const key = `${q.name}|${path}`;
        measured.set(key, [...(measured.get(key) ?? []), result]);
        console.error(
          `run ${r + 1} ${q.name} via ${path}: ${fixed(result.rps)} q/s, p50 ${fixed(result.p50)} ms`,
        );
      }

interface Copy {
  rows: number;
  bytes: number;
  seconds: number;
  firstRowSeconds: number;
}
const copies: Record<'listener' | 'PostgreSQL', Copy[]> = { listener: [], PostgreSQL: [] };
if (ONLY !== 'queries')
  for (let r = 0; r < RUNS; r++)
    for (const path of ['listener', 'PostgreSQL'] as const) {
      const from = path === 'listener' ? wireName(readings) : 'bench_pgwire.readings';
      const result = await load<Copy>({
        kind: 'copy',
        target: path === 'listener' ? viaWire : direct,
        sql: `COPY (SELECT id, credit_code, month, kwh, note FROM ${from}) TO STDOUT`,
      });
      if (result.rows !== COPY_ROWS)
        throw new Error(`COPY via ${path}: ${result.rows} rows, not ${COPY_ROWS}`);
      copies[path].push(result);
      console.error(`run ${r + 1} COPY via ${path}: ${fixed(result.rows / result.seconds, 0)} rows/s`);
    }

const med = (list: Load[], pick: (l: Load) => number) => median(list.map(pick));
if (measured.size) {
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s per run, median of ${RUNS} runs; a ${QUERY_ROWS.toLocaleString('en')}-row PostgreSQL table; metadata store ${STORE}`,
  );
  console.log(
    row([
      'Query',
      'listener q/s',
      'listener p50 / p99 ms',
      'POST /query q/s',
      'POST /query p50 / p99 ms',
      'PostgreSQL q/s',
      'PostgreSQL p50 / p99 ms',
      'listener ÷ POST /query',
      'listener ÷ PostgreSQL',
      'errors',
    ]),
  );
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const q of QUERIES) {
    const [w, h, p] = PATHS.map((path) => measured.get(`${q.name}|${path}`)!);
    const rps = (l: Load[]) => med(l, (x) => x.rps);
    const lat = (l: Load[]) => `${fixed(med(l, (x) => x.p50))} / ${fixed(med(l, (x) => x.p99))}`;
    console.log(
      row([
        q.name,
        fixed(rps(w!), 2),
        lat(w!),
        fixed(rps(h!), 2),
        lat(h!),
        fixed(rps(p!), 1),
        lat(p!),
        `${fixed(rps(w!) / rps(h!), 2)}×`,
        `${fixed((100 * rps(w!)) / rps(p!), 3)}%`,
        [w!, h!, p!].flat().reduce((n, x) => n + x.errors, 0),
      ]),
    );
  }
}
if (copies.listener.length) {
  const rate = (list: Copy[]) => median(list.map((c) => c.rows / c.seconds));
  const first = (list: Copy[]) => median(list.map((c) => c.firstRowSeconds));
  const total = (list: Copy[]) => median(list.map((c) => c.seconds));
  if (measured.size) console.log('');
  console.log(
    `### COPY (SELECT …) TO STDOUT, ${COPY_ROWS.toLocaleString('en')} rows × 5 columns, median of ${RUNS}`,
  );
  console.log('');
  console.log(row(['Path', 'rows/s', 'seconds', 'first row after (s)', 'MB', '÷ PostgreSQL']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const path of ['listener', 'PostgreSQL'] as const)
    console.log(
      row([
        path,
        fixed(rate(copies[path]), 0),
        fixed(total(copies[path]), 2),
        fixed(first(copies[path]), 2),
        fixed(copies[path][0]!.bytes / 2 ** 20, 0),
        `${fixed((100 * rate(copies[path])) / rate(copies.PostgreSQL), 0)}%`,
      ]),
    );
}

console.log(
  '> Errors: answers refused during the runs (all paths, all runs). Through the listener and POST /query alike, each SQL query runs in a sandbox child process and first loads the rows of the resource (the columns it names) from PostgreSQL into DuckDB; its WHERE applies there. COPY: "first row after" is the time to the first CopyData (plan and load), the rest is DuckDB, the pipe back from the child and the encoding of each row.',
);
await wire.close();
await platform.close();
await admin.query('DROP SCHEMA bench_pgwire CASCADE');
await admin.end();
