// bench/federation: cross-node reads (issue 17) at 32 concurrent clients, against the same reads
// made locally on the provider node. Two platform processes from the build, as `npm start` runs
// them, each on its own embedded store: the national node (the federation's root, provider of a
// 无条件共享 resource over a PostgreSQL table) and the Zhejiang node (joined with a token and
// approved). Local: an application of the national node reads the resource there. Cross-node: an
// application of the Zhejiang node reads the same rows through its node (signed request, the
// national node's pipeline, signed answer with a receipt, the receipt logged on Zhejiang). The
// load generator is a process of its own (autocannon, bench/support/load-process.ts).
import { loadavg } from 'node:os';
import pg from 'pg';
import { type Client, call, login } from '../../test/multiprocess/server-process.js';
import { SERVICES } from '../../test/support/services.js';
import { ITEMS } from '../rows/items.js';
import { fixed, processLoad, row } from '../support/load.js';
import { Federation, must, NATIONAL, ZHEJIANG } from './nodes.js';

const ROWS = 100_000;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'correct horse battery';

/** Cross-node reads ÷ local reads at 32 clients (BENCH_MODE=reads). */
export async function benchReads(): Promise<void> {
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

  const federation = new Federation({});

  try {
    // The national node (the root) and the Zhejiang node, joined with a token and approved.
    const national = await federation.root(NATIONAL);
    const { node: zhejiang } = await federation.member(national, national, ZHEJIANG);
    const nationalUrl = national.url;
    const nAdmin = national.admin;
    const zjUrl = zhejiang.url;
    const zAdmin = zhejiang.admin;

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
    await must(
      call(nationalUrl, steward, 'POST', `/api/v1/resources/${resource.code}/publish`, {}),
      'publish',
    );
    await must(
      call(nationalUrl, steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
        sourceId: source.id,
        from: { kind: 'table', schema: 'bench_fed', table: 'people' },
      }),
      'binding',
    );
    const localOrg = await org(nationalUrl, nAdmin, '国家基准使用方', 'provincial', '350000');
    const localKey = await keyOf(
      nationalUrl,
      await person(nationalUrl, nAdmin, localOrg.id, 'analyst', 'cn'),
    );
    // On the Zhejiang node: its consumer.
    const zjOrg = await org(zjUrl, zAdmin, '浙江基准使用方', 'provincial', '330000');
    const zjKey = await keyOf(zjUrl, await person(zjUrl, zAdmin, zjOrg.id, 'analyst', 'zj'));

    const ids = Array.from({ length: 5000 }, () => 1 + Math.floor(Math.random() * ROWS));
    const filter = (id: number) =>
      encodeURIComponent(JSON.stringify([{ column: 'id', op: 'eq', value: id }]));
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
    await federation.close();
    await admin.query('DROP SCHEMA IF EXISTS bench_fed CASCADE');
    await admin.end();
  }
}
