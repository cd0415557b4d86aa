import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, PEOPLE_COUNT, type SeededPlatform, seedPlatform } from '../multiprocess/platform.js';
import { call, freePort, login, type ServerProcess, startServer } from '../multiprocess/server-process.js';
import { until } from '../support/poll.js';
import { SERVICES, serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';

// A metadata outage, without restarting the shared PostgreSQL: each server gets a database of its
// own, whose backends are terminated (pg_terminate_backend, as a restart, failover or idle timeout
// does) and whose new connections are refused (ALLOW_CONNECTIONS false) for the outage. The server
// must stay up, answer 503 while the store is away, and serve again within seconds of its return.

const postgresUp = await serviceAvailable('postgres');

const health = async (url: string) => {
  const response = await fetch(`${url}/api/health`);
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after') };
};

async function createDatabase(admin: pg.Client) {
  const name = `ht_outage_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    terminate: () =>
      admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]),
    allowConnections: (allow: boolean) => admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow}`),
    drop: () => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

describe.skipIf(!postgresUp)('the metadata store goes away and comes back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-outage-'));
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let server: ServerProcess;
  let platform: SeededPlatform;
  let rowsPath: string;

  beforeAll(async () => {
    await admin.connect();
    database = await createDatabase(admin);
    people = await postgresPeople(PEOPLE_COUNT);
    server = await startServer({ HUITONG_DATA_DIR: dataDir, HUITONG_DATABASE_URL: database.url });
    platform = await seedPlatform(server.url, adminPassword(server.output()), people.schema);
    rowsPath = `/api/v1/resources/${platform.resource}/rows?limit=3`;
  }, 120_000);

  afterAll(async () => {
    await database?.allowConnections(true).catch(() => undefined);
    await server?.stop();
    await people?.drop();
    await database?.drop();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives its connections being terminated, 3 times out of 3', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call(server.url, platform.consumerKey, 'GET', rowsPath)).status).toBe(200);
      const { rows } = await database.terminate();
      expect(rows.length, 'the server held connections to terminate').toBeGreaterThan(0);
      await until('rows served again after pg_terminate_backend', async () => {
        return (await call(server.url, platform.consumerKey, 'GET', rowsPath)).status === 200;
      });
    }
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
  });

  it('answers 503 while the store is away, then serves again within seconds of its return', async () => {
    await database.allowConnections(false);
    await database.terminate();
    const down = await until('health says the store is down', async () => {
      const h = await health(server.url);
      return h.status === 503 ? h : undefined;
    });
    expect(down.code).toBe('store_unavailable');
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    // Data fails closed: no rows without the store that authorises and logs them.
    const refused = await call(server.url, platform.consumerKey, 'GET', rowsPath);
    expect(refused.status).toBe(503);
    expect(['store_unavailable', 'audit_unavailable']).toContain(refused.json.error.code);
    const zh = await fetch(`${server.url}${rowsPath}`, {
      headers: { ...platform.consumerKey.headers, 'accept-language': 'zh-CN' },
    });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toMatch(/元数据库/);
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();

    await database.allowConnections(true);
    const back = Date.now();
    await until('rows served again after the outage', async () => {
      return (await call(server.url, platform.consumerKey, 'GET', rowsPath)).status === 200;
    });
    expect(Date.now() - back, 'served again within seconds').toBeLessThan(10_000);
    expect((await health(server.url)).status).toBe(200);
  });

  it('logged every release that reached a client, and the log verifies', async () => {
    const verified = await call(server.url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
    expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
  });
});

/** A TCP proxy to the shared PostgreSQL on `port`: "PostgreSQL comes up" is this one opening. */
function proxyTo5432(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(SERVICES.postgres.port, SERVICES.postgres.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe.skipIf(!postgresUp)('started while PostgreSQL is down', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-outage-'));
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let server: ServerProcess;
  let proxy: { close(): Promise<void> } | undefined;
  let port: number;

  beforeAll(async () => {
    await admin.connect();
    database = await createDatabase(admin);
    port = await freePort();
    // Nothing listens on `port` yet: PostgreSQL is "down".
    server = await startServer(
      {
        HUITONG_DATA_DIR: dataDir,
        HUITONG_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/${database.name}`,
      },
      90_000,
      { waitFor: 'listening' },
    );
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps running and answers 503 store_unavailable while the store is away', async () => {
    const first = await health(server.url);
    expect([first.status, first.code]).toEqual([503, 'store_unavailable']);
    // Still there and still refusing a few seconds on (it used to exit after 1 s).
    const since = Date.now();
    while (Date.now() - since < 3000) {
      expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
      expect((await health(server.url)).status).toBe(503);
      await new Promise((r) => setTimeout(r, 250));
    }
    const login = await call(server.url, undefined, 'POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'x',
    });
    expect([login.status, login.json.error.code]).toEqual([503, 'store_unavailable']);
  });

  it('prepares the store and serves once PostgreSQL comes up', async () => {
    proxy = await proxyTo5432(port);
    await until('healthy once PostgreSQL is up', async () => (await health(server.url)).status === 200, {
      timeoutMs: 60_000,
      everyMs: 250,
    });
    const password = await until('the administrator password printed', () => {
      try {
        return adminPassword(server.output());
      } catch {
        return undefined;
      }
    });
    await login(server.url, 'admin', password);
  }, 90_000);
});
