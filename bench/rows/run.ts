// bench/rows: rows of one PostgreSQL-backed resource through the HTTP API at 32 concurrent
// clients — by key, and by a filter returning 100 rows — against the same queries sent straight
// to PostgreSQL with `pg` in the same run. Twice: the provider reading its own resource, and a
// consumer whose grant masks three items and filters rows.
import pg from 'pg';
import { approveAccessRequest, createAccessRequest } from '../../src/sharing/index.js';
import { buildUser } from '../../test/support/factories.js';
import { SERVICES } from '../../test/support/services.js';
import { directLoad, fixed, httpLoad, type LoadResult, row } from '../support/load.js';
import { BENCH_POSTGRES_SOURCE, publishBound, startPlatform } from '../support/platform.js';

const ROWS = 100_000;
const REGIONS = 1000; // 100 rows per region
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

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

// Metadata on each store in turn (BENCH_STORE=pglite|postgres runs one).
const STORES = (process.env.BENCH_STORE ? [process.env.BENCH_STORE] : ['pglite', 'postgres']) as Array<
  'pglite' | 'postgres'
>;
const pool = new pg.Pool({ connectionString: SERVICES.postgres.url, max: CONNECTIONS });
const results: Array<[string, string, LoadResult, LoadResult]> = [];

/** Publishes the table on a platform over `store`, grants the consumer, and loads both paths. */
async function measure(store: 'pglite' | 'postgres'): Promise<void> {
  const platform = await startPlatform(store);
  const code = await publishBound(
    platform,
    platform.providerId,
    BENCH_POSTGRES_SOURCE,
    { schema: 'bench_rows', table: 'people' },
    {
      items: [
        { name: '编号', field: 'id', dataType: 'number' },
        { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
        {
          name: '身份证号',
          field: 'sfzh',
          dataType: 'string',
          personal: true,
          personalKind: 'identity_document',
        },
        {
          name: '手机号码',
          field: 'sjhm',
          dataType: 'string',
          personal: true,
          personalKind: 'communication',
        },
        { name: '区划', field: 'qh', dataType: 'string' },
        { name: '年龄', field: 'age', dataType: 'number' },
      ],
      sharingType: 'conditional',
      sharingConditions: '基准测试',
    },
  );
  const db = platform.server.store.db;
  const analyst = await buildUser(db, { orgId: platform.consumerId, roles: ['analyst'] });
  const consumerActor = {
    kind: 'user' as const,
    userId: analyst.id,
    orgId: platform.consumerId,
    username: analyst.username,
    roles: analyst.roles,
  };
  const request = await createAccessRequest(db, consumerActor, {
    applicationId: platform.consumerApplicationId,
    resourceCode: code,
    items: ['编号', '姓名', '身份证号', '手机号码', '区划', '年龄'],
    purpose: '基准测试',
    legalBasis: '基准测试',
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const steward = await buildUser(db, { orgId: platform.providerId, roles: ['data_steward'] });
  await approveAccessRequest(
    db,
    {
      kind: 'user',
      userId: steward.id,
      orgId: platform.providerId,
      username: steward.username,
      roles: steward.roles,
    },
    request.id,
    {
      rowFilter: [{ item: '年龄', op: 'range', min: 18 }],
      quota: null,
    },
  );

  const randomId = () => 1 + Math.floor(Math.random() * ROWS);
  const randomRegion = () => String(350000 + Math.floor(Math.random() * REGIONS));
  const filter = (column: string, value: string | number) =>
    encodeURIComponent(JSON.stringify([{ column, op: 'eq', value }]));
  const SELECT = 'SELECT id, xm, sfzh, sjhm, qh, age FROM bench_rows.people';

  for (const [who, key] of [
    ['provider', platform.providerKey],
    ['consumer (3 masks + row filter)', platform.consumerKey],
  ] as const) {
    const headers = { authorization: `Bearer ${key}` };
    const byKey = await httpLoad(
      platform.url,
      headers,
      () => `/api/v1/resources/${code}/rows?filter=${filter('id', randomId())}`,
      CONNECTIONS,
      SECONDS,
    );
    const byKeyDirect = await directLoad(
      () => pool.query(`${SELECT} WHERE id = $1`, [randomId()]),
      CONNECTIONS,
      SECONDS,
    );
    results.push([store, `${who}: by key`, byKey, byKeyDirect]);
    const hundred = await httpLoad(
      platform.url,
      headers,
      () => `/api/v1/resources/${code}/rows?limit=100&filter=${filter('qh', randomRegion())}`,
      CONNECTIONS,
      SECONDS,
    );
    const hundredDirect = await directLoad(
      () => pool.query(`${SELECT} WHERE qh = $1 LIMIT 100`, [randomRegion()]),
      CONNECTIONS,
      SECONDS,
    );
    results.push([store, `${who}: 100 rows by filter`, hundred, hundredDirect]);
  }
  await platform.close();
}

for (const store of STORES) await measure(store);

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
      fixed(direct.p50, 2),
      fixed(direct.p99, 2),
      `${fixed((100 * api.rps) / direct.rps, 0)}%`,
      api.errors,
    ]),
  );
}
console.log(
  '> Targets: API throughput ≥ 50% of direct; API p99 ≤ 20 ms. Each API request also writes its audit entry (group commit), checks the grant and quota afresh and charges its usage; the key, resource, binding and source come from the read cache (HUITONG_METADATA_CACHE_MS). The load generator (autocannon) runs in the same process as the server, on the same two cores as PostgreSQL.',
);
await pool.end();
await admin.query('DROP SCHEMA bench_rows CASCADE');
await admin.end();
