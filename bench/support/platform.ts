// Shared set-up of the data-path benchmarks: an in-process platform listening on a free port,
// with a provider and a consumer organisation, their API keys, and helpers to register sources
// and bind resources. The metadata store is PGlite (the embedded default) unless told otherwise.
import type { AddressInfo } from 'node:net';
import type { CreateResourceInput } from '../../src/catalog/index.js';
import { bindResource } from '../../src/query/index.js';
import { type CreateSourceInput, createSource } from '../../src/sources/index.js';
import type { StoreKind } from '../../src/store/index.js';
import { buildApiKey, buildOrganization, buildResource, stewardOf } from '../../test/support/factories.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';

/** A running platform for a benchmark. */
export interface BenchPlatform {
  server: TestServer;
  url: string;
  providerId: string;
  consumerId: string;
  providerKey: string;
  consumerKey: string;
  consumerApplicationId: string;
  close(): Promise<void>;
}

/** Starts the platform on 127.0.0.1 with limits that do not get in the benchmark's way. */
export async function startPlatform(
  kind: StoreKind = 'pglite',
  env: Record<string, string> = {},
): Promise<BenchPlatform> {
  const server = await openTestServer(kind, {
    HUITONG_RATE_LIMIT_PER_IP: '100000000',
    HUITONG_RATE_LIMIT_PER_KEY: '100000000',
    HUITONG_QUERY_MEMORY: '4GB',
    HUITONG_QUERY_TIMEOUT_SECONDS: '600',
    ...env,
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.app.server.address() as AddressInfo;
  const db = server.store.db;
  const provider = await buildOrganization(db, { name: `基准提供方-${Date.now()}` });
  const consumer = await buildOrganization(db, { name: `基准使用方-${Date.now()}` });
  const providerKey = await buildApiKey(db, provider.id, ['data_steward']);
  const consumerKey = await buildApiKey(db, consumer.id, ['analyst']);
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    providerId: provider.id,
    consumerId: consumer.id,
    providerKey: providerKey.key,
    consumerKey: consumerKey.key,
    consumerApplicationId: consumerKey.application.id,
    close: () => server.close(),
  };
}

/** The PostgreSQL server of the benchmarks as a source (its `test` database, the tables the bench made). */
export const BENCH_POSTGRES_SOURCE = {
  kind: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  tls: { mode: 'disable' },
} as const;

/** Registers a source of an organisation, creates a published resource with `items` and binds it to `table`. */
export async function publishBound(
  platform: BenchPlatform,
  orgId: string,
  source: Omit<CreateSourceInput, 'name' | 'description' | 'orgId'> & Record<string, unknown>,
  table: { schema: string; table: string },
  resource: Partial<CreateResourceInput>,
): Promise<string> {
  const db = platform.server.store.db;
  const created = await createSource(db, platform.server.sources, {
    ...(source as CreateSourceInput),
    name: `src-${Date.now()}-${Math.random().toString(16).slice(2, 6)}`,
    description: '',
    orgId,
  });
  const published = await buildResource(db, orgId, resource, { publish: true });
  const caller = { actor: stewardOf(orgId), ip: '127.0.0.1', requestId: 'bench' };
  await bindResource(platform.server.query, caller, published.code, {
    sourceId: created.id,
    from: { kind: 'table', ...table },
  });
  return published.code;
}

/** Median of numbers. */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
