import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, openTestServerOn, type TestServer } from '../../../test/support/http.js';
import { until } from '../../../test/support/poll.js';
import { parseScrape } from '../../../test/support/prometheus.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { describeEachStore } from '../../../test/support/store.js';
import { dropSchema, migrate, openStore } from '../../store/index.js';

const ready = async (server: TestServer) => {
  const response = await server.app.inject({ url: '/api/health/ready' });
  return { status: response.statusCode, body: response.json() };
};

describeEachStore('GET /api/health/ready', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer(kind);
  });
  afterAll(() => server.close());

  it('answers 200 with every check ok, without credentials', async () => {
    expect(await ready(server)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { server: 'ok', store: 'ok', audit: 'ok', sandbox: 'ok' } },
    });
  });

  it('answers 503 naming the sandbox when its scratch folder is unusable, 200 again once it is back', async () => {
    const scratch = server.query.sandbox.scratchRoot;
    rmSync(scratch, { recursive: true, force: true });
    writeFileSync(scratch, 'not a folder');
    try {
      const broken = await ready(server);
      expect(broken.status).toBe(503);
      expect(broken.body).toEqual({
        status: 'unavailable',
        checks: { server: 'ok', store: 'ok', audit: 'ok', sandbox: 'scratch_unusable' },
      });
    } finally {
      rmSync(scratch, { force: true });
      mkdirSync(scratch, { recursive: true });
    }
    expect((await ready(server)).status).toBe(200);
  });

  it('answers 503 naming the audit appender once it is closed', async () => {
    const own = await openTestServer(kind);
    try {
      await own.audit.close();
      const closed = await ready(own);
      expect(closed.status).toBe(503);
      expect(closed.body.checks).toEqual({ server: 'ok', store: 'ok', audit: 'closed', sandbox: 'ok' });
    } finally {
      await own.close();
    }
  });
});

// The store goes away under the server: its PostgreSQL connections run through a proxy this test
// cuts (every connection reset, new ones refused) and restores.
const postgresUp = await serviceAvailable('postgres');
const TOKEN = 'metrics-token-0123456789abcdef';

/** A TCP proxy to the test PostgreSQL that can be cut and restored on the same port. */
async function cuttableProxy() {
  const target = new URL(SERVICES.postgres.url);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  const url = new URL(SERVICES.postgres.url);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), cut, restore: listen };
}

describe.skipIf(!postgresUp)('GET /api/health/ready while the metadata store is away', () => {
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let server: TestServer;
  const schema = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    proxy = await cuttableProxy();
    const store = await openStore({ databaseUrl: proxy.url, schema, maxConnections: 4 });
    await migrate(store);
    server = await openTestServerOn(store, { HUITONG_METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await dropSchema(server.store, schema).catch(() => undefined);
    await server.close();
  });

  it('answers 503 naming the store while it is away, and 200 again once it is back', async () => {
    expect((await ready(server)).status).toBe(200);
    await proxy.cut();
    const down = await until('ready says the store is away', async () => {
      const answer = await ready(server);
      return answer.status === 503 ? answer : undefined;
    });
    expect(down.body).toEqual({
      status: 'unavailable',
      checks: { server: 'ok', store: 'unavailable', audit: 'ok', sandbox: 'ok' },
    });
    // The plain health check answers the platform's 503 error as before.
    expect((await server.app.inject({ url: '/api/health' })).statusCode).toBe(503);
    // Metrics still answer (they need no store), and say the store is away.
    const scraped = await server.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(parseScrape(scraped.body).value('huitong_store_up')).toBe(0);
    await proxy.restore();
    await until('ready again once the store is back', async () => (await ready(server)).status === 200);
  });
});
