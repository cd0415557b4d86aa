import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import type { AuditEntryView } from '../../audit/index.js';

// Finding 5 of issue 13: a steward pointed sources at loopback-only services, used the connection
// test as a port scanner, and reached the host's PostgreSQL. Here the allow-list names a few
// loopback ports only (as an operator would name a database); everything else on loopback is
// what an attacker is after.
const UNREACHABLE = { error: { code: 'source_unreachable', message: 'The source cannot be reached' } };

const listen = async <T extends HttpServer | Server>(server: T): Promise<T> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: HttpServer | Server) => (server.address() as AddressInfo).port;

describe('outbound policy through the source routes', () => {
  let server: TestServer;
  let steward: Credentials;
  // A loopback-only service holding what must not be published, and how often it was asked.
  let secret: HttpServer;
  let secretHits = 0;
  // Allowed: an HTTP API that redirects to the secret service, a port that answers in another
  // protocol (an SSH-like banner), one that accepts and never answers, and a closed one.
  let redirecting: HttpServer;
  let banner: Server;
  let silent: Server;
  const CLOSED = 1;

  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: method as 'GET',
      url,
      headers: { ...steward.headers, ...headers },
      payload: payload as object,
    });
  const register = async (source: Record<string, unknown>) => {
    const created = await call('POST', '/api/v1/sources', { name: `s-${Math.random()}`, ...source });
    expect(created.statusCode, created.body).toBe(201);
    return created.json().id as string;
  };
  const entries = async (type: string) => {
    const found: AuditEntryView[] = [];
    for await (const entry of server.audit.streamEntries({ type })) found.push(entry);
    return found;
  };
  const api = (url: string) => ({ kind: 'http_json', url, timeoutMs: 1000 });
  const database = (kind: 'postgres' | 'mysql', host: string, port: number) => ({
    kind,
    host,
    port,
    database: 'test',
    user: kind === 'postgres' ? 'postgres' : 'root',
  });

  beforeAll(async () => {
    secret = await listen(
      createHttpServer((_request, response) => {
        secretHits++;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('[{"secret":"root-password"}]');
      }),
    );
    redirecting = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(302, { location: `http://127.0.0.1:${portOf(secret)}/` });
        response.end();
      }),
    );
    banner = await listen(
      createServer((socket) => {
        socket.write('SSH-2.0-OpenSSH_9.6\r\n');
        setTimeout(() => socket.destroy(), 50);
      }),
    );
    silent = await listen(createServer(() => undefined));
    const allowed = [portOf(redirecting), portOf(banner), portOf(silent), CLOSED].map(
      (p) => `127.0.0.1:${p}`,
    );
    server = await openTestServer('pglite', {
      HUITONG_OUTBOUND_ALLOW: allowed.join(','),
      HUITONG_SOURCE_CONNECT_TIMEOUT_MS: '1500',
    });
    const enterprise = await buildOrganization(server.store.db, { kind: 'enterprise' });
    const user = await buildUser(server.store.db, { orgId: enterprise.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
  });
  afterAll(async () => {
    for (const s of [secret, redirecting, banner, silent]) s.close();
    await server.close();
  });

  it('refuses an enterprise steward a source on a loopback, private, link-local or metadata address, in any spelling', async () => {
    const s = portOf(secret);
    const sources = [
      database('postgres', '127.0.0.1', 5432),
      database('mysql', '127.0.0.1', 3306),
      database('postgres', '127.1', 5432),
      database('postgres', '2130706433', 5432),
      database('postgres', '0x7f000001', 5432),
      database('postgres', '0177.0.0.1', 5432),
      database('postgres', '::1', 5432),
      database('postgres', '::ffff:127.0.0.1', 5432),
      database('postgres', '0.0.0.0', 5432),
      database('mysql', '192.168.1.10', 3306),
      database('mysql', '10.0.0.5', 3306),
      api(`http://127.0.0.1:${s}/`),
      api(`http://2130706433:${s}/`),
      api(`http://0x7f000001:${s}/`),
      api(`http://127.1:${s}/`),
      api(`http://0177.0.0.1:${s}/`),
      api(`http://[::ffff:127.0.0.1]:${s}/`),
      api(`http://[::ffff:7f00:1]:${s}/`),
      api(`http://[::1]:${s}/`),
      api('http://169.254.169.254/latest/meta-data/iam/'),
      api('http://100.100.100.200/latest/meta-data/'),
      api('http://[fd00:ec2::254]/latest/'),
      api('http://[fe80::1]/'),
      api('http://172.16.0.1/'),
      api('http://100.64.0.1/'),
    ];
    for (const source of sources) {
      const created = await call('POST', '/api/v1/sources', { name: 'probe', ...source });
      expect([created.statusCode, errorCode(created)], JSON.stringify(source)).toEqual([
        400,
        'destination_not_allowed',
      ]);
    }
    const refusals = await entries('source.refused');
    expect(refusals.length).toBe(sources.length);
    expect(refusals[0]?.data).toMatchObject({
      kind: 'postgres',
      reason: expect.stringMatching(/loopback address 127\.0\.0\.1/),
    });
    const zh = await call(
      'POST',
      '/api/v1/sources',
      { name: 'probe', ...database('postgres', '127.0.0.1', 5432) },
      {
        'accept-language': 'zh-CN',
      },
    );
    expect(zh.json().error.message).toMatch(/出站许可名单/);
    expect(zh.json().error.message).toMatch(/回环/);
    // Nor can an allowed source be moved there afterwards.
    const id = await register(api(`http://127.0.0.1:${portOf(redirecting)}/`));
    const moved = await call('PATCH', `/api/v1/sources/${id}`, { url: `http://127.0.0.1:${s}/` });
    expect([moved.statusCode, errorCode(moved)]).toEqual([400, 'destination_not_allowed']);
    expect(secretHits).toBe(0);
  });

  it('refuses, when connecting, a name that resolves to loopback, with the answer of a closed port', async () => {
    for (const source of [
      api(`http://localhost:${portOf(secret)}/`),
      database('postgres', 'localhost', 5432),
    ]) {
      // Names are checked when the platform connects: their addresses can change after registration.
      const id = await register(source);
      const test = await call('POST', `/api/v1/sources/${id}/test`);
      expect([test.statusCode, test.json()]).toEqual([502, UNREACHABLE]);
      const schema = await call('GET', `/api/v1/sources/${id}/schema`);
      expect([schema.statusCode, schema.json()]).toEqual([502, UNREACHABLE]);
    }
    expect(secretHits).toBe(0);
  });

  it('answers one code and one message for a closed port, an open port of another protocol, a silent port, a refused address and a name that does not resolve', async () => {
    const ports = [CLOSED, portOf(banner), portOf(silent)];
    const sources = [
      ...ports.map((p) => api(`http://127.0.0.1:${p}/`)),
      api(`http://localhost:${portOf(secret)}/`),
      api('http://no-such-host.invalid/'),
      ...ports.map((p) => database('postgres', '127.0.0.1', p)),
      database('postgres', '127.0.0.1', portOf(redirecting)), // an HTTP server, not PostgreSQL
      database('postgres', 'localhost', 5432),
      database('postgres', 'no-such-host.invalid', 5432),
      ...ports.map((p) => database('mysql', '127.0.0.1', p)),
      database('mysql', 'localhost', 3306),
    ];
    const failedBefore = await entries('source.test_failed');
    for (const [i, source] of sources.entries()) {
      const id = await register(source);
      const test = await call('POST', `/api/v1/sources/${id}/test`);
      expect([test.statusCode, test.json()], JSON.stringify(source)).toEqual([502, UNREACHABLE]);
      if (i === 0) {
        const zh = await call('POST', `/api/v1/sources/${id}/test`, undefined, {
          'accept-language': 'zh-CN',
        });
        expect(zh.json()).toEqual({ error: { code: 'source_unreachable', message: '无法连接数据源' } });
      }
    }
    // The auditor, unlike the steward, sees why each one failed.
    const reasons = (await entries('source.test_failed'))
      .slice(failedBefore.length)
      .map((e) => e.data.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ECONNREFUSED/),
        expect.stringMatching(/timeout/i),
        expect.stringMatching(/outbound policy: .*loopback/),
        expect.stringMatching(/ENOTFOUND/),
      ]),
    );
    expect(secretHits).toBe(0);
  });

  it('does not follow a redirect from an allowed API to a loopback port the allow-list does not name', async () => {
    const id = await register(api(`http://127.0.0.1:${portOf(redirecting)}/`));
    const test = await call('POST', `/api/v1/sources/${id}/test`);
    expect([test.statusCode, errorCode(test)]).toEqual([400, 'source_response_invalid']);
    expect(test.json().error.message).toMatch(/redirect/);
    expect(test.body).not.toContain(String(portOf(secret)));
    expect(secretHits).toBe(0);
  });
});
