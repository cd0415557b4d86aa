// Where the time of a filtered federated join goes: the steps of POST /query's enforce and execute
// (pushdown/, read-view.ts, sandbox.ts) timed one by one, outside HTTP, over the bench's tables.
// What the full request takes beyond their sum is the request's own cost: authentication, the
// grant and quota checks of each resource, the release's durable audit entries, HTTP.

import type { LoadedSide } from '../../src/query/pushdown/index.js';
import { narrowedByJoins, narrowedRequest, planPushdown } from '../../src/query/pushdown/index.js';
import { readView } from '../../src/query/read-view.js';
import { Sandbox, type SandboxLimits } from '../../src/query/sandbox.js';
import type { SecureView, ViewColumn } from '../../src/query/secure-view.js';
import { inspectSelect } from '../../src/query/sql-guard.js';
import { mysqlConnector } from '../../src/sources/connectors/mysql.js';
import { postgresConnector } from '../../src/sources/connectors/postgres.js';
import type { Connector } from '../../src/sources/index.js';
import { SERVICES, testOutbound } from '../../test/support/services.js';

const LIMITS = { connectTimeoutMs: 5000, queryTimeoutMs: 600_000, maxConnections: 2 };
const HMAC_KEY = Buffer.alloc(32, 1);

const view = (schema: string, table: string, columns: Array<[string, ViewColumn['type']]>) =>
  ({
    columns: columns.map(([name, type]) => ({
      name,
      item: name,
      source: name,
      type,
      mask: { kind: 'none' },
    })),
    rowFilter: [],
    resource: { provider: { id: 'p' } },
    binding: { sourceId: table, from: { kind: 'table', schema, table } },
  }) as unknown as SecureView;

/** Milliseconds of each step of `runs` runs of `sql` over people (PostgreSQL) and ent (MariaDB, read first), and the rows each loaded. */
export async function breakdown(sql: string, limits: SandboxLimits, runs: number) {
  const base = { host: '127.0.0.1', tls: { mode: 'disable' as const } };
  const connectors: Record<string, Connector> = {
    people: postgresConnector(
      { ...base, port: SERVICES.postgres.port, database: 'test', user: 'postgres' },
      undefined,
      LIMITS,
      testOutbound,
    ),
    ent: mysqlConnector(
      { ...base, port: SERVICES.mariadb.port, database: 'bench_fed', user: 'root' },
      undefined,
      LIMITS,
      testOutbound,
    ),
  };
  const views = new Map([
    [
      'people',
      view('bench_fed', 'people', [
        ['id', 'integer'],
        ['qh', 'string'],
      ]),
    ],
    [
      'ent',
      view('bench_fed', 'enterprises', [
        ['owner_id', 'integer'],
        ['capital', 'decimal'],
        ['sector', 'integer'],
      ]),
    ],
  ]);
  const steps = new Map<string, number[]>();
  const time = async <T>(step: string, work: () => Promise<T>) => {
    const t = performance.now();
    const result = await work();
    steps.set(step, [...(steps.get(step) ?? []), performance.now() - t]);
    return result;
  };
  let last: Record<string, number> = {};
  for (let run = 0; run < runs; run++) {
    const plans = await time('plan (parse, extract)', async () =>
      planPushdown(true, (await inspectSelect(sql)).statement, views),
    );
    const box = await time('sandbox open (a pooled DuckDB child)', () => Sandbox.open(limits));
    const loaded = new Map<string, LoadedSide>();
    const rows: Record<string, number> = {};
    for (const table of ['ent', 'people']) {
      const v = views.get(table)!;
      const connector = connectors[table]!;
      const narrowed = await narrowedRequest({}, v, plans.get(table), connector, HMAC_KEY);
      const request =
        table === 'people'
          ? await time('keys of ent read back from the sandbox', () =>
              narrowedByJoins(narrowed, v, plans.get(table), connector, HMAC_KEY, loaded, box, undefined),
            )
          : narrowed;
      rows[table] = await time(`${table} read from its source and loaded`, async () =>
        box.load(table, await readView(connector, v, request, HMAC_KEY)),
      );
      loaded.set(table, { rows: rows[table]!, fields: v.columns.map((c) => c.name), provider: 'p' });
    }
    await time('lock', () => box.lock());
    await time('the SQL in the sandbox', async () => {
      for await (const _ of (await box.stream(sql)).batches);
    });
    await time('sandbox close', () => box.close());
    last = rows;
  }
  for (const connector of Object.values(connectors)) await connector.close();
  return { steps, rows: last };
}
