// bench/federation: cross-node reads (issue 17) at 32 concurrent clients, against the same reads
// made locally on the provider node. Two platform processes from the build, as `npm start` runs
// them, each on its own embedded store: the national node (the federation's root, provider of a
// 无条件共享 resource over a PostgreSQL table) and the Zhejiang node (joined with a token and
// approved). Local: an application of the national node reads the resource there. Cross-node: an
// application of the Zhejiang node reads the same rows through its node (signed request, the
// national node's pipeline, signed answer with a receipt, the receipt logged on Zhejiang). The
// load generator is a process of its own (autocannon, bench/support/load-process.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminPassword } from '../../test/multiprocess/platform.js';
import {
  type Client,
  call,
  freePort,
  login,
  type ServerProcess,
  startServer,
} from '../../test/multiprocess/server-process.js';
import { huitongCommand } from '../../test/support/cli-bundle.js';
import { SERVICES, TEST_OUTBOUND_ALLOW } from '../../test/support/services.js';
import { ITEMS } from '../rows/items.js';
import { fixed, processLoad, row } from '../support/load.js';

const ROWS = 100_000;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROOT = new URL('../..', import.meta.url).pathname;
const PASSWORD = 'correct horse battery';

const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (built.status !== 0) throw new Error('the build failed');
process.env.HUITONG_TEST_CLI = join(ROOT, 'dist/cli/main.js');

const must = async (promise: ReturnType<typeof call>, what: string) => {
  const response = await promise;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json;
};

/** `huitong …` on a stopped node's data directory. */
const cli = (dataDir: string, args: string[]) => {
  const { command, args: base } = huitongCommand();
  const { HUITONG_DATABASE_URL: _ignored, ...env } = process.env;
  execFileSync(command, [...base, ...args], {
    env: { ...env, HUITONG_DATA_DIR: dataDir, HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(',') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS bench_fed CASCADE; CREATE SCHEMA bench_fed');
await admin.query(
  'CREATE TABLE bench_fed.people (id integer PRIMARY KEY, xm text, sfzh text, sjhm text, qh text, age integer)',
);
await admin.query(
  `INSERT INTO bench_fed.people SELECT g, '张' || g, '350102198001' || lpad((g % 10000)::text, 6, '0'), '138' || lpad(g::text, 8, '0'),
     (350000 + g % 1000)::text, g % 90 FROM generate_series(1, ${ROWS}) g`,
);
await admin.query('ANALYZE bench_fed.people');

const dirs = [
  mkdtempSync(join(tmpdir(), 'huitong-bench-fed-cn-')),
  mkdtempSync(join(tmpdir(), 'huitong-bench-fed-zj-')),
];
const servers: ServerProcess[] = [];
const env = (dataDir: string) => ({
  HUITONG_DATA_DIR: dataDir,
  HUITONG_RATE_LIMIT_PER_IP: '100000000',
  HUITONG_RATE_LIMIT_PER_KEY: '100000000',
  HUITONG_FEDERATION_REFRESH_SECONDS: '1',
});

try {
  // The national node: the root, made so before its first start.
  const nationalPort = await freePort();
  const nationalUrl = `http://127.0.0.1:${nationalPort}`;
  cli(dirs[0]!, [
    'federation',
    'init',
    '--federation',
    '基准联邦',
    '--node-id',
    'cn-100000',
    '--region',
    '100000',
    '--name',
    '国家节点',
    '--level',
    'national',
    '--url',
    nationalUrl,
  ]);
  const national = await startServer(env(dirs[0]!), 90_000, { port: nationalPort });
  servers.push(national);
  const nAdmin = await login(nationalUrl, 'admin', adminPassword(national.output()));
  const token = (await must(call(nationalUrl, nAdmin, 'POST', '/api/v1/federation/join-tokens', {}), 'token'))
    .token as string;

  // The Zhejiang node: joins with the token, then starts; the root approves it.
  const zjPort = await freePort();
  const zjUrl = `http://127.0.0.1:${zjPort}`;
  cli(dirs[1]!, [
    'federation',
    'join',
    nationalUrl,
    '--token',
    token,
    '--node-id',
    'zj-330000',
    '--region',
    '330000',
    '--name',
    '浙江省节点',
    '--level',
    'provincial',
    '--url',
    zjUrl,
    '--parent',
    'cn-100000',
  ]);
  const zhejiang = await startServer(env(dirs[1]!), 90_000, { port: zjPort });
  servers.push(zhejiang);
  await must(
    call(nationalUrl, nAdmin, 'POST', '/api/v1/federation/members/zj-330000/decision', {
      decision: 'approve',
    }),
    'approve',
  );
  const zAdmin = await login(zjUrl, 'admin', adminPassword(zhejiang.output()));
  for (let held = 0; held < 2; ) {
    held = (await must(call(zjUrl, zAdmin, 'GET', '/api/v1/federation/node'), 'node')).config?.version ?? 0;
    await new Promise((r) => setTimeout(r, 200));
  }

  const person = async (url: string, as: Client, orgId: string, role: string, tag: string) => {
    await must(
      call(url, as, 'POST', '/api/v1/users', {
        orgId,
        username: `${role.replace('_', '-')}-${tag}`,
        displayName: role,
        password: PASSWORD,
        roles: [role],
        mustChangePassword: false,
      }),
      `user ${role}`,
    );
    return login(url, `${role.replace('_', '-')}-${tag}`, PASSWORD);
  };
  const keyOf = async (url: string, as: Client) => {
    const application = await must(
      call(url, as, 'POST', '/api/v1/applications', { name: '基准应用' }),
      'app',
    );
    return (
      await must(
        call(url, as, 'POST', `/api/v1/applications/${application.id}/keys`, {
          name: 'bench',
          roles: ['analyst'],
        }),
        'key',
      )
    ).key as string;
  };
  const org = (url: string, as: Client, name: string, level: string, regionCode: string) =>
    must(
      call(url, as, 'POST', '/api/v1/organizations', { name, kind: 'department', level, regionCode }),
      name,
    );

  // On the national node: the provider and its 无条件共享 resource; a local consumer.
  const provider = await org(nationalUrl, nAdmin, '国家基准提供方', 'national', '110000');
  const steward = await person(nationalUrl, nAdmin, provider.id, 'data_steward', 'cn');
  const source = await must(
    call(nationalUrl, steward, 'POST', '/api/v1/sources', {
      kind: 'postgres',
      name: '基准库',
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    }),
    'source',
  );
  const resource = await must(
    call(nationalUrl, steward, 'POST', '/api/v1/resources', {
      name: '基准人口（联邦）',
      classificationCode: '101001',
      summary: '基准测试',
      format: 'CSV',
      items: ITEMS,
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      updateCycle: 'monthly',
    }),
    'resource',
  );
  await must(call(nationalUrl, steward, 'POST', `/api/v1/resources/${resource.code}/publish`, {}), 'publish');
  await must(
    call(nationalUrl, steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: source.id,
      from: { kind: 'table', schema: 'bench_fed', table: 'people' },
    }),
    'binding',
  );
  const localOrg = await org(nationalUrl, nAdmin, '国家基准使用方', 'provincial', '350000');
  const localKey = await keyOf(nationalUrl, await person(nationalUrl, nAdmin, localOrg.id, 'analyst', 'cn'));
  // On the Zhejiang node: its consumer.
  const zjOrg = await org(zjUrl, zAdmin, '浙江基准使用方', 'provincial', '330000');
  const zjKey = await keyOf(zjUrl, await person(zjUrl, zAdmin, zjOrg.id, 'analyst', 'zj'));

  const ids = Array.from({ length: 5000 }, () => 1 + Math.floor(Math.random() * ROWS));
  const filter = (id: number) => encodeURIComponent(JSON.stringify([{ column: 'id', op: 'eq', value: id }]));
  const local = ids.map((id) => `/api/v1/resources/${resource.code}/rows?filter=${filter(id)}`);
  const remote = ids.map(
    (id) => `/api/v1/federation/nodes/cn-100000/resources/${resource.code}/rows?filter=${filter(id)}`,
  );
  const localHeaders = { authorization: `Bearer ${localKey}` };
  const remoteHeaders = { authorization: `Bearer ${zjKey}` };
  // Warm-up: the first reads grant on first use (and mirror Zhejiang's application).
  await processLoad(nationalUrl, localHeaders, local, CONNECTIONS, 2);
  await processLoad(zjUrl, remoteHeaders, remote, CONNECTIONS, 2);
  const runs: Array<
    [string, Awaited<ReturnType<typeof processLoad>>, Awaited<ReturnType<typeof processLoad>>]
  > = [];
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const l = await processLoad(nationalUrl, localHeaders, local, CONNECTIONS, SECONDS);
    const r = await processLoad(zjUrl, remoteHeaders, remote, CONNECTIONS, SECONDS);
    loads.push(loadavg()[0]!);
    runs.push([`run ${i + 1}`, l, r]);
  }
  console.log(
    `rows by key of one PostgreSQL-backed resource (${ROWS.toLocaleString()} rows) at ${CONNECTIONS} clients, ${SECONDS} s each: locally on the provider node ÷ through the consumer node (cross-node)`,
  );
  console.log(
    row([
      'Run',
      'local req/s',
      'local p50 ms',
      'local p99 ms',
      'cross-node req/s',
      'cross p50 ms',
      'cross p99 ms',
      'cross ÷ local',
      'errors',
    ]),
  );
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, l, r] of runs)
    console.log(
      row([
        name,
        fixed(l.rps, 0),
        fixed(l.p50),
        fixed(l.p99),
        fixed(r.rps, 0),
        fixed(r.p50),
        fixed(r.p99),
        fixed(r.rps / l.rps, 2),
        `${l.errors} / ${r.errors} (non-2xx ${(l as { non2xx?: number }).non2xx ?? 0} / ${(r as { non2xx?: number }).non2xx ?? 0})`,
      ]),
    );
  const ratios = runs.map(([, l, r]) => r.rps / l.rps).sort((a, b) => a - b);
  console.log(
    `> Median cross ÷ local: ${fixed(ratios[1] ?? Number.NaN, 2)} (target ≥ 0.5). Both nodes on embedded stores (PGlite), both on the same two cores as PostgreSQL and the load generator. Each cross-node read: the consumer node authenticates the key, signs the request (RFC 9421), the provider verifies it, runs its pipeline (grant, masks, quota, release entries), signs the receipt and the response; the consumer checks both signatures and logs the receipt before answering. 1-minute load average: ${loads.map((x) => x.toFixed(1)).join(', ')}.`,
  );
} finally {
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await admin.query('DROP SCHEMA IF EXISTS bench_fed CASCADE');
  await admin.end();
}
