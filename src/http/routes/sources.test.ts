import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { describeEachStore } from '../../../test/support/store.js';

const postgresUp = await serviceAvailable('postgres');
const mariadbUp = await serviceAvailable('mariadb');
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

describeEachStore('source routes', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let otherSteward: Credentials;
  let analyst: Credentials;
  let silent: Server;
  let silentPort: number;
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });
  const pgSource = (name: string, extra: Record<string, unknown> = {}) => ({
    kind: 'postgres',
    name,
    host: '127.0.0.1',
    port: 5432,
    database: 'test',
    user: 'postgres',
    password: PASSWORD,
    ...extra,
  });

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const orgA = await buildOrganization(db);
    const orgB = await buildOrganization(db);
    const s = await buildUser(db, { orgId: orgA.id, roles: ['data_steward'] });
    const o = await buildUser(db, { orgId: orgB.id, roles: ['data_steward', 'org_admin'] });
    const a = await buildUser(db, { orgId: orgA.id, roles: ['analyst'] });
    steward = await loginAs(server.app, s.username, TEST_PASSWORD);
    otherSteward = await loginAs(server.app, o.username, TEST_PASSWORD);
    analyst = await loginAs(server.app, a.username, TEST_PASSWORD);
    // A server that accepts connections and never says a word: a source that hangs.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    if (postgresUp) {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(`CREATE TABLE ${schema}.licences (id int PRIMARY KEY, holder text, issued date)`);
    }
  });
  afterAll(async () => {
    silent.close();
    if (postgresUp) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    await server.close();
  });

  describe.skipIf(!postgresUp)('a PostgreSQL source', () => {
    let id: string;

    it('is registered by a steward, with the password sealed and never shown', async () => {
      const created = await call(steward, 'POST', '/api/v1/sources', pgSource('证照库'));
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        kind: 'postgres',
        name: '证照库',
        hasPassword: true,
        connection: { host: '127.0.0.1', port: 5432, user: 'postgres', tls: { mode: 'disable' } },
      });
      expect(created.body).not.toContain(PASSWORD);
      id = created.json().id;
      const row = await server.store.db
        .selectFrom('sources')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.secret).toMatch(/^v1\./);
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
      for (const url of ['/api/v1/sources', `/api/v1/sources/${id}`]) {
        const response = await call(steward, 'GET', url);
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toContain(PASSWORD);
      }
      const duplicate = await call(steward, 'POST', '/api/v1/sources', pgSource('证照库'));
      expect([duplicate.statusCode, errorCode(duplicate)]).toEqual([409, 'duplicate_name']);
    });

    it('tests the connection and describes tables, not rows', async () => {
      const test = await call(steward, 'POST', `/api/v1/sources/${id}/test`);
      expect(test.statusCode).toBe(200);
      expect(test.json()).toMatchObject({ ok: true, serverVersion: expect.stringContaining('PostgreSQL') });
      const described = await call(steward, 'GET', `/api/v1/sources/${id}/schema?schema=${schema}`);
      expect(described.statusCode).toBe(200);
      expect(described.json().tables).toEqual([
        {
          schema,
          name: 'licences',
          kind: 'table',
          rowEstimate: null,
          columns: [
            { name: 'id', type: 'integer', nativeType: 'integer', nullable: false },
            { name: 'holder', type: 'string', nativeType: 'text', nullable: true },
            { name: 'issued', type: 'date', nativeType: 'date', nullable: true },
          ],
        },
      ]);
    });

    it('is hidden from other organisations (404) and refused to analysts (403)', async () => {
      for (const [method, url] of [
        ['GET', `/api/v1/sources/${id}`],
        ['PATCH', `/api/v1/sources/${id}`],
        ['POST', `/api/v1/sources/${id}/test`],
        ['GET', `/api/v1/sources/${id}/schema`],
        ['DELETE', `/api/v1/sources/${id}`],
        ['PATCH', `/api/v1/sources/${id}/columns`],
      ] as const) {
        const payload =
          method === 'PATCH'
            ? url.endsWith('columns')
              ? { columns: [{ name: 'a', type: 'string' }] }
              : { name: 'x' }
            : undefined;
        const response = await call(otherSteward, method, url, payload);
        expect([response.statusCode, errorCode(response)], `${method} ${url}`).toEqual([404, 'not_found']);
      }
      const listed = await call(otherSteward, 'GET', '/api/v1/sources');
      expect(listed.json().items).toEqual([]);
      expect((await call(analyst, 'GET', `/api/v1/sources/${id}`)).statusCode).toBe(403);
      expect((await call(analyst, 'POST', '/api/v1/sources', pgSource('x'))).statusCode).toBe(403);
    });

    it('keeps credentials from following the source to another host', async () => {
      const moved = await call(steward, 'PATCH', `/api/v1/sources/${id}`, { host: 'localhost' });
      expect([moved.statusCode, errorCode(moved)]).toEqual([400, 'credentials_required']);
      const renamed = await call(steward, 'PATCH', `/api/v1/sources/${id}`, {
        name: '证照库（生产）',
        description: '省证照库',
      });
      expect(renamed.json()).toMatchObject({ name: '证照库（生产）', hasPassword: true });
      const wrongKind = await call(steward, 'PATCH', `/api/v1/sources/${id}`, { url: 'http://example.org/' });
      expect([wrongKind.statusCode, errorCode(wrongKind)]).toEqual([400, 'invalid_source_config']);
      const dropped = await call(steward, 'PATCH', `/api/v1/sources/${id}`, {
        host: 'localhost',
        password: null,
      });
      expect(dropped.json()).toMatchObject({ hasPassword: false, connection: { host: 'localhost' } });
      // The pool was reopened with the new options: the connection still works (the server trusts local users).
      expect((await call(steward, 'POST', `/api/v1/sources/${id}/test`)).statusCode).toBe(200);
    });

    it('is deleted by its steward', async () => {
      expect((await call(steward, 'DELETE', `/api/v1/sources/${id}`)).statusCode).toBe(204);
      expect((await call(steward, 'GET', `/api/v1/sources/${id}`)).statusCode).toBe(404);
    });
  });

  it('reports an unreachable source and one that never answers, within the connect timeout', async () => {
    for (const port of [1, silentPort]) {
      const created = await call(steward, 'POST', '/api/v1/sources', pgSource(`down-${port}`, { port }));
      const started = Date.now();
      const test = await call(steward, 'POST', `/api/v1/sources/${created.json().id}/test`);
      expect([test.statusCode, errorCode(test)]).toEqual([502, 'source_unreachable']);
      expect(test.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(10_000);
      const described = await call(steward, 'GET', `/api/v1/sources/${created.json().id}/schema`);
      expect(errorCode(described)).toBe('source_unreachable');
    }
    const mysql = await call(steward, 'POST', '/api/v1/sources', {
      ...pgSource('down-mysql', { port: silentPort }),
      kind: 'mysql',
    });
    const test = await call(steward, 'POST', `/api/v1/sources/${mysql.json().id}/test`);
    expect([test.statusCode, errorCode(test)]).toEqual([502, 'source_unreachable']);
  });

  it.skipIf(!mariadbUp)('reports a wrong MariaDB password as source_auth_failed', async () => {
    const created = await call(steward, 'POST', '/api/v1/sources', {
      kind: 'mysql',
      name: 'mariadb-wrong',
      host: '127.0.0.1',
      port: 3306,
      database: 'mysql',
      user: 'root',
      password: 'certainly-not-the-password',
    });
    expect(created.statusCode).toBe(201);
    const test = await call(steward, 'POST', `/api/v1/sources/${created.json().id}/test`);
    expect([test.statusCode, errorCode(test)]).toEqual([400, 'source_auth_failed']);
    expect(test.body).not.toContain('certainly-not-the-password');
  });

  it('refuses malformed registrations and never echoes credentials in errors', async () => {
    const bad = await call(steward, 'POST', '/api/v1/sources', { ...pgSource('bad'), port: 'x' });
    expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'invalid_request']);
    expect(bad.body).not.toContain(PASSWORD);
    const unknown = await call(steward, 'POST', '/api/v1/sources', { ...pgSource('bad'), kind: 'oracle' });
    expect(unknown.statusCode).toBe(400);
    const foreign = await call(steward, 'POST', '/api/v1/sources', {
      ...pgSource('bad'),
      orgId: (await buildOrganization(server.store.db)).id,
    });
    expect(foreign.statusCode).toBe(404);
  });
});
