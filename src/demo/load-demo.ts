import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { bootstrapBureau, demoLoaded } from './bootstrap.js';
import { type FetchLike, PlatformClient } from './client.js';
import { generateDemoData } from './dataset.js';
import { loadCatalog } from './load-catalog.js';
import { bindResources, type SourceRefs, uploadFiles } from './load-data.js';
import { loadDemands } from './load-demands.js';
import { plantOverdueRequest } from './load-governance.js';
import { loadMembers, Sessions } from './load-members.js';
import { LoadReport } from './load-report.js';
import { loadApplications, loadRequests } from './load-sharing.js';
import { ACCOUNTS, DEMO_PASSWORD } from './members.js';
import { route } from './pending-routes.js';
import { type DemoProfile, demoProfile } from './profiles.js';
import { fillMariadb, fillPostgres, type ServiceOptions } from './services.js';
import { writeTables } from './write-files.js';

/** What loading needs: the store (for the one bootstrap step), an HTTP client of the platform, the data directory. */
export interface LoadDemoOptions {
  db: Kysely<Database>;
  /** The platform's base URL and a fetch that reaches it (the global fetch, or injectFetch(app)). */
  baseUrl: string;
  fetch?: FetchLike;
  dataDir: string;
  profile?: DemoProfile | DemoProfile['name'];
  /** Also load the public-security and market data into PostgreSQL and MariaDB and connect them. */
  services?: ServiceOptions;
}

/** What a load did. */
export interface LoadDemoResult {
  loaded: boolean;
  elapsedMs: number;
  report: LoadReport;
}

/**
 * Loads the demo province: members and users, the catalog, the data as uploaded files (or real
 * databases with `services`), bindings, applications, access requests and demands (需求清单) — all through the
 * HTTP API but the bureau's bootstrap. Does nothing when the store already holds the demo.
 */
export async function loadDemo(options: LoadDemoOptions): Promise<LoadDemoResult> {
  const started = Date.now();
  const report = new LoadReport();
  if (await demoLoaded(options.db)) return { loaded: false, elapsedMs: 0, report };
  const profile = typeof options.profile === 'object' ? options.profile : demoProfile(options.profile);
  const bureau = await bootstrapBureau(options.db);
  const client = new PlatformClient(options.baseUrl, options.fetch);
  const sessions = new Sessions(client);
  const admin = await sessions.as(ACCOUNTS[0]!.username);
  const orgs = await loadMembers(client, admin, bureau.orgId);
  report.count('organisations', orgs.size);
  report.count('users', ACCOUNTS.length);
  const codes = await loadCatalog(client, sessions, orgs);
  report.count('resources', codes.size);
  const applications = await loadApplications(client, sessions, report);

  const data = generateDemoData(profile);
  const files = await writeTables(data.tables, join(options.dataDir, 'demo', profile.name));
  report.count(
    'generated rows',
    data.tables.reduce((n, t) => n + t.rows.length, 0),
  );
  const sources: SourceRefs = new Map();
  if (options.services)
    await connectServices(client, sessions, options.services, data.tables, sources, report);
  await uploadFiles(client, sessions, files, data.tables, sources, report);
  await bindResources(client, sessions, codes, sources, report);
  await loadRequests(client, sessions, codes, applications, report);
  await plantOverdueRequest(options.db, report);
  await loadDemands(client, sessions, orgs, codes, report);
  return { loaded: true, elapsedMs: Date.now() - started, report };
}

const SERVICE_TABLES = {
  postgres: ['population', 'households'],
  mariadb: ['enterprises', 'abnormal_operations'],
};

async function connectServices(
  client: PlatformClient,
  sessions: Sessions,
  options: ServiceOptions,
  tables: Parameters<typeof fillPostgres>[1],
  sources: SourceRefs,
  report: LoadReport,
): Promise<void> {
  const pick = (names: string[]) => tables.filter((t) => names.includes(t.name));
  await fillPostgres(options, pick(SERVICE_TABLES.postgres));
  await fillMariadb(options, pick(SERVICE_TABLES.mariadb));
  report.count('tables in real databases', SERVICE_TABLES.postgres.length + SERVICE_TABLES.mariadb.length);
  const [method, path] = route('createSource');
  for (const [kind, provider, server, schema] of [
    ['postgres', 'gat', options.postgres, 'public'],
    ['mysql', 'scjg', options.mariadb, options.database],
  ] as const) {
    const created = await report.attempt('createSource', async () =>
      client.call<{ id: string }>(await sessions.steward(provider), method, path, {
        name: kind === 'postgres' ? '人口基础信息库 (PostgreSQL)' : '市场主体登记系统 (MariaDB)',
        kind,
        description: '演示: huitong demo --services 创建并填充的数据库',
        host: server.host,
        port: server.port,
        database: options.database,
        user: server.user,
        ...(server.password ? { password: server.password } : {}),
      }),
    );
    if (!created) return;
    report.count('database sources');
    for (const table of SERVICE_TABLES[kind === 'postgres' ? 'postgres' : 'mariadb']) {
      sources.set(`${provider}/${table}`, { id: created.id, table, schema });
    }
  }
}

/** The demo accounts as lines for the console. */
export function accountLines(): string[] {
  return [
    `Demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...ACCOUNTS.map((a) => `  ${a.username.padEnd(14)} ${a.roles.join(',').padEnd(26)} ${a.purpose}`),
  ];
}
