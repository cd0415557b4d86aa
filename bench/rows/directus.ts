// Directus 11.3.5 (the last release on Node 20) as a peer of bench/rows: an instant REST API with
// permissions over a SQL table, the closest open-source product. It is a dev-only tool installed
// OUTSIDE the project (`npm install --prefix /work/directus-peer directus@11.3.5`; BENCH_DIRECTUS_DIR
// names another place), never a dependency; absent, the peer is skipped with a message. Directus
// keeps its own system tables, so it gets a database of its own on the same PostgreSQL server with
// the same people table (same rows, same index). The provider reads as the administrator (every
// field); the consumer through a policy with the nearest equivalent of the grant — a field subset
// (Directus has no masks: the three personal items are left out) and the row filter age ≥ 18.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/multiprocess/server-process.js';
import { SERVICES } from '../../test/support/services.js';

/** A peer's runs, or why there are none. */
export interface Peer {
  skipped?: string;
  runs: Array<{
    name: string;
    url: string;
    headers: Record<string, string>;
    paths: string[];
    baselinePaths: string[];
  }>;
  stop(): Promise<void>;
}

const DATABASE = 'ht_bench_directus';
const ADMIN_TOKEN = 'bench-admin-token';
const CONSUMER_TOKEN = 'bench-consumer-token';

/** Directus over a copy of bench_rows.people when installed; skipped otherwise. */
export async function directusPeer(
  rows: number,
  regions: number,
  ids: number[],
  qhs: string[],
): Promise<Peer> {
  const dir = process.env.BENCH_DIRECTUS_DIR ?? '/work/directus-peer';
  const cli = join(dir, 'node_modules', 'directus', 'cli.js');
  const none = async () => undefined;
  if (!existsSync(cli))
    return {
      skipped: `Directus is not installed in ${dir} (see bench/rows/README.md)`,
      runs: [],
      stop: none,
    };
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const db = new pg.Client({ connectionString: SERVICES.postgres.url.replace(/\/[^/]*$/, `/${DATABASE}`) });
  await db.connect();
  await db.query(
    'CREATE TABLE people (id integer PRIMARY KEY, xm text, sfzh text, sjhm text, qh text, age integer)',
  );
  await db.query(
    `INSERT INTO people SELECT g, '张' || g, '350102198001' || lpad((g % 10000)::text, 6, '0'), '138' || lpad(g::text, 8, '0'),
       (350000 + g % ${regions})::text, g % 90 FROM generate_series(1, ${rows}) g`,
  );
  await db.query('CREATE INDEX ON people (qh); ANALYZE people');
  await db.end();
  const port = await freePort();
  const env = {
    ...process.env,
    DB_CLIENT: 'pg',
    DB_HOST: SERVICES.postgres.host,
    DB_PORT: String(SERVICES.postgres.port),
    DB_DATABASE: DATABASE,
    DB_USER: 'postgres',
    DB_PASSWORD: '',
    KEY: 'bench-key',
    SECRET: 'bench-secret-bench-secret-bench-secret',
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'benchpass',
    ADMIN_TOKEN,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEMETRY: 'false',
    LOG_LEVEL: 'warn',
    CACHE_ENABLED: 'false',
    RATE_LIMITER_ENABLED: 'false',
    DB_POOL__MAX: '32',
  };
  let child: ChildProcess | undefined;
  const stop = async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  };
  const bootstrap = spawnSync(process.execPath, [cli, 'bootstrap'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (bootstrap.status !== 0) {
    await stop();
    return {
      skipped: `directus bootstrap failed: ${(bootstrap.stderr || bootstrap.stdout).slice(-300)}`,
      runs: [],
      stop: none,
    };
  }
  child = spawn(process.execPath, [cli, 'start'], { cwd: dir, env, stdio: 'ignore' });
  process.once('exit', () => child?.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`directus ${method} ${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: { id: string } }).data;
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/server/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      return { skipped: 'directus did not start within 120 s', runs: [], stop: none };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const policy = await api('POST', '/policies', {
    name: 'bench-consumer',
    icon: 'badge',
    admin_access: false,
    app_access: false,
  });
  await api('POST', '/permissions', {
    policy: policy.id,
    collection: 'people',
    action: 'read',
    fields: ['id', 'qh', 'age'],
    permissions: { age: { _gte: 18 } },
  });
  const role = await api('POST', '/roles', { name: 'bench-consumer', policies: [{ policy: policy.id }] });
  await api('POST', '/users', {
    email: 'consumer@example.com',
    password: 'benchpass',
    role: role.id,
    token: CONSUMER_TOKEN,
  });
  const byKey = ids.map((id) => `/items/people?filter%5Bid%5D%5B_eq%5D=${id}`);
  const byRegion = qhs.map((qh) => `/items/people?limit=100&filter%5Bqh%5D%5B_eq%5D=${qh}`);
  const runs = (['provider', 'consumer'] as const).flatMap((who) => {
    const headers = { authorization: `Bearer ${who === 'provider' ? ADMIN_TOKEN : CONSUMER_TOKEN}` };
    const label = who === 'provider' ? 'administrator, every field' : 'policy: 3 of 6 fields + row filter';
    return [
      {
        name: `${label}: by key`,
        url,
        headers,
        paths: byKey,
        baselinePaths: ids.map((id) => `/${who}?id=${id}`),
      },
      {
        name: `${label}: 100 rows by filter`,
        url,
        headers,
        paths: byRegion,
        baselinePaths: qhs.map((qh) => `/${who}?qh=${qh}`),
      },
    ];
  });
  return { runs, stop };
}
