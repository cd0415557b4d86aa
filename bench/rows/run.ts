// bench/rows: rows of one PostgreSQL-backed resource through GET …/rows at 32 concurrent clients —
// by key, and by a filter returning 100 rows — against the same reads straight on PostgreSQL.
// Measured fairly (issue 22, item 6): the platform runs from the build, as `npm start` runs it
// (`node dist/cli/main.js serve`, its own process, set up through its API); the baseline is a
// minimal node:http + pg server of its own (baseline-server.ts: prepared statements, JSON out);
// the load generator (autocannon) is a third process that drives both the same way. Twice: the
// provider reading its own resource, and a consumer whose grant masks three items, filters rows
// and has a daily quota. Directus 11.3.5, when installed outside the project
// (BENCH_DIRECTUS_DIR, default /work/directus-peer), is a peer over the same table (directus.ts).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminPassword } from '../../test/multiprocess/platform.js';
import { freePort, type ServerProcess, startServer } from '../../test/multiprocess/server-process.js';
import { SERVICES } from '../../test/support/services.js';
import { fixed, type LoadResult, processLoad, row } from '../support/load.js';
import { directusPeer } from './directus.js';
import { seedRows } from './seed.js';

const ROWS = 100_000;
const REGIONS = 1000; // 100 rows per region
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROOT = new URL('../..', import.meta.url).pathname;

// The server as `npm start` runs it: build what is stale, then `node dist/cli/main.js serve`
// (startServer runs the file HUITONG_TEST_CLI names with plain Node).
const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (built.status !== 0) throw new Error('the build failed');
process.env.HUITONG_TEST_CLI = join(ROOT, 'dist/cli/main.js');

const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS bench_rows CASCADE; CREATE SCHEMA bench_rows');
await admin.query(
  'CREATE TABLE bench_rows.people (id integer PRIMARY KEY, xm text, sfzh text, sjhm text, qh text, age integer)',
);
await admin.query(
  `INSERT INTO bench_rows.people SELECT g, '张' || g, '350102198001' || lpad((g % 10000)::text, 6, '0'), '138' || lpad(g::text, 8, '0'),
     (350000 + g % ${REGIONS})::text, g % 90 FROM generate_series(1, ${ROWS}) g`,
);
await admin.query('CREATE INDEX ON bench_rows.people (qh); ANALYZE bench_rows.people');

const random = (n: number) => Math.floor(Math.random() * n);
const ids = Array.from({ length: 5000 }, () => 1 + random(ROWS));
const regions = Array.from({ length: 5000 }, () => String(350000 + random(REGIONS)));
const filter = (column: string, value: string | number) =>
  encodeURIComponent(JSON.stringify([{ column, op: 'eq', value }]));

/** The baseline process on a free port. */
async function startBaseline(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench/rows/baseline-server.ts'),
      JSON.stringify({ port, connectionString: SERVICES.postgres.url, pool: CONNECTIONS }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  // Not left behind when the bench fails.
  process.once('exit', () => child.kill('SIGTERM'));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const STORES = (process.env.BENCH_STORE ? [process.env.BENCH_STORE] : ['pglite', 'postgres']) as Array<
  'pglite' | 'postgres'
>;
const results: Array<[string, string, LoadResult, LoadResult]> = [];
const peers: Array<[string, LoadResult, LoadResult]> = [];
const loads: number[] = [];
const baseline = await startBaseline();

const cases = (who: 'provider' | 'consumer', code: string) => [
  {
    name: 'by key',
    api: ids.map((id) => `/api/v1/resources/${code}/rows?filter=${filter('id', id)}`),
    direct: ids.map((id) => `/${who}?id=${id}`),
  },
  {
    name: '100 rows by filter',
    api: regions.map((qh) => `/api/v1/resources/${code}/rows?limit=100&filter=${filter('qh', qh)}`),
    direct: regions.map((qh) => `/${who}?qh=${qh}`),
  },
];

/** Starts the platform over `store`, seeds it through its API and loads both paths. */
async function measure(store: 'pglite' | 'postgres'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-bench-rows-'));
  const database = `ht_bench_rows_${randomBytes(4).toString('hex')}`;
  if (store === 'postgres') await admin.query(`CREATE DATABASE ${database}`);
  let server: ServerProcess | undefined;
  try {
    server = await startServer({
      HUITONG_DATA_DIR: dataDir,
      HUITONG_LOG_LEVEL: 'warn',
      HUITONG_RATE_LIMIT_PER_IP: '100000000',
      HUITONG_RATE_LIMIT_PER_KEY: '100000000',
      ...(store === 'postgres'
        ? { HUITONG_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}` }
        : {}),
      ...(process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) : {}),
    });
    const seeded = await seedRows(server.url, adminPassword(server.output()));
    for (const [who, label, key] of [
      ['provider', 'provider', seeded.providerKey],
      ['consumer', 'consumer (3 masks + row filter + quota)', seeded.consumerKey],
    ] as const) {
      const headers = { authorization: `Bearer ${key}` };
      // A short warm-up: the first requests fill the read cache and the connection pools.
      await processLoad(server.url, headers, cases(who, seeded.code)[0]!.api, CONNECTIONS, 2);
      for (const c of cases(who, seeded.code)) {
        const api = await processLoad(server.url, headers, c.api, CONNECTIONS, SECONDS);
        loads.push(loadavg()[0]!);
        const direct = await processLoad(baseline.url, {}, c.direct, CONNECTIONS, SECONDS);
        results.push([store, `${label}: ${c.name}`, api, direct]);
      }
    }
  } finally {
    await server?.stop();
    if (store === 'postgres')
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const store of STORES) await measure(store);

// Directus as a peer: optional, skipped with a message when it is not installed.
const directus =
  process.env.BENCH_DIRECTUS === '0'
    ? { skipped: 'BENCH_DIRECTUS=0', runs: [], stop: async () => undefined }
    : await directusPeer(ROWS, REGIONS, ids, regions);
if (directus.skipped) console.error(`directus peer skipped: ${directus.skipped}`);
for (const run of directus.runs) {
  await processLoad(run.url, run.headers, run.paths, CONNECTIONS, 2); // warm-up
  const direct = await processLoad(baseline.url, {}, run.baselinePaths, CONNECTIONS, SECONDS);
  const result = await processLoad(run.url, run.headers, run.paths, CONNECTIONS, SECONDS);
  peers.push([run.name, result, direct]);
}
await directus.stop();
baseline.stop();

console.log(
  `rows of one PostgreSQL-backed resource (${ROWS.toLocaleString()} rows), ${CONNECTIONS} concurrent clients, ${SECONDS} s each; metadata store as named`,
);
console.log(
  row([
    'Metadata store',
    'Query',
    'API req/s',
    'API p50 ms',
    'API p99 ms',
    'pg req/s',
    'pg p50 ms',
    'pg p99 ms',
    'API ÷ pg throughput',
    'errors',
  ]),
);
console.log(row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
for (const [store, name, api, direct] of results) {
  console.log(
    row([
      store,
      name,
      fixed(api.rps, 0),
      fixed(api.p50),
      fixed(api.p99),
      fixed(direct.rps, 0),
      fixed(direct.p50),
      fixed(direct.p99),
      `${fixed((100 * api.rps) / direct.rps, 0)}%`,
      api.errors,
    ]),
  );
}
if (peers.length) {
  console.log('\n### Directus 11.3.5 over the same table (peer)\n');
  console.log(row(['Query', 'Directus req/s', 'p50 ms', 'p99 ms', 'pg req/s', 'Directus ÷ pg', 'errors']));
  console.log(row(['---', '---', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, result, direct] of peers)
    console.log(
      row([
        name,
        fixed(result.rps, 0),
        fixed(result.p50),
        fixed(result.p99),
        fixed(direct.rps, 0),
        `${fixed((100 * result.rps) / direct.rps, 0)}%`,
        result.errors,
      ]),
    );
}
console.log(
  `> Targets: API ≥ 70 % of direct (PostgreSQL metadata) and ≥ 40 % (PGlite); API p99 ≤ 20 ms. Three processes: the platform from the build (\`node dist/cli/main.js serve\`, set up through its API), the baseline (bench/rows/baseline-server.ts: node:http + pg, the same SELECT with the masks and row filter as SQL, prepared), and autocannon (bench/support/load-process.ts); all on the same two cores as PostgreSQL. Each API request authenticates its key, decides the grant afresh, takes its quota, charges its usage and writes its audit entries (group commit). 1-minute load average during the API runs: ${loads.map((l) => l.toFixed(1)).join(', ')}.`,
);
await admin.query('DROP SCHEMA bench_rows CASCADE');
await admin.end();
