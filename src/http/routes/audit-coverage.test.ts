import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrganization,
  buildUser,
  resourceInput,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';
import type { AuditEntryView } from '../../audit/index.js';
import type { OrganizationView } from '../../identity/index.js';

const SAMPLE = readFileSync(new URL('../../../docs/samples/catalog-import.csv', import.meta.url));
const CSV = 'xm,csrq\n张三,1990-01-02\n李四,1983-06-30\n';
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const TOKEN = `Bearer tok-${randomBytes(8).toString('hex')}`;
// Items named after the uploaded file's columns, so that the resource can be bound to it.
const ITEMS = [
  { name: '姓名', field: 'xm', dataType: 'string' },
  { name: '出生日期', field: 'csrq', dataType: 'string' },
];

// Changes to the catalogue, to sources and to bindings decide what data leaves and to whom, so
// each is logged with its actor and subject, like grants and logins.
describeEachStore('audit entries of catalogue, source and binding changes', (kind) => {
  let server: TestServer;
  let org: OrganizationView;
  let stewardId: string;
  let steward: Credentials;

  const call = (method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: steward.headers, payload: payload as object });
  const postCsv = (url: string, payload: string | Buffer) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload,
    });
  /** The newest entry of a type, which the request just made must have appended. */
  const last = async (type: string): Promise<AuditEntryView> => {
    let found: AuditEntryView | undefined;
    for await (const entry of server.audit.streamEntries({ type })) found = entry;
    if (!found) throw new Error(`no ${type} entry`);
    return found;
  };
  const bySteward = (entry: AuditEntryView) => {
    expect(entry.actor).toEqual({ kind: 'user', id: stewardId, orgId: org.id });
    expect(entry.requestId).toEqual(expect.any(String));
  };

  beforeAll(async () => {
    server = await openTestServer(kind);
    org = await buildOrganization(server.store.db);
    const user = await buildUser(server.store.db, { orgId: org.id, roles: ['data_steward'] });
    stewardId = user.id;
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  describe('the catalogue', () => {
    let code: string;

    it('logs a resource created, changed, published and retired, with its policy fields', async () => {
      const created = await call(
        'POST',
        '/api/v1/resources',
        resourceInput({ items: ITEMS, sharingType: 'conditional', sharingConditions: '用于政务服务' }),
      );
      expect(created.statusCode, created.body).toBe(201);
      code = created.json().code;
      const createdEntry = await last('resource.created');
      bySteward(createdEntry);
      expect(createdEntry.resources).toEqual([code]);
      expect(createdEntry.data).toMatchObject({
        resourceId: created.json().id,
        providerId: org.id,
        status: 'draft',
        sharingType: 'conditional',
        openType: 'not_open',
        items: ['姓名', '出生日期'],
      });

      expect((await call('POST', `/api/v1/resources/${code}/publish`)).statusCode).toBe(200);
      const published = await last('resource.published');
      bySteward(published);
      expect(published).toMatchObject({ resources: [code], data: { status: 'published', version: 1 } });

      const patched = await call('PATCH', `/api/v1/resources/${code}`, {
        sharingType: 'unconditional',
        summary: '改',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const updated = await last('resource.updated');
      bySteward(updated);
      expect(updated).toMatchObject({
        resources: [code],
        data: {
          fields: ['sharingType', 'summary'],
          sharingType: 'unconditional',
          version: 2,
          previousCode: null,
        },
      });

      expect((await call('POST', `/api/v1/resources/${code}/retire`)).statusCode).toBe(200);
      const retired = await last('resource.retired');
      bySteward(retired);
      expect(retired).toMatchObject({ resources: [code], data: { status: 'retired' } });
    });

    it('logs a sheet import with every code it created, and a Data Package import', async () => {
      const imported = await postCsv('/api/v1/catalog/import?publish=true', SAMPLE);
      expect(imported.statusCode, imported.body).toBe(200);
      const entry = await last('catalog.imported');
      bySteward(entry);
      const codes = imported.json().imported.map((r: { code: string }) => r.code);
      expect(entry.resources).toEqual([...codes].sort());
      expect(entry.data).toMatchObject({ publish: true, imported: codes.length, rejected: 0 });

      const descriptor = (await call('GET', `/api/v1/resources/${code}/datapackage.json`)).json();
      const fromPackage = await call('POST', '/api/v1/catalog/datapackage', { descriptor });
      expect(fromPackage.statusCode, fromPackage.body).toBe(201);
      const created = await last('resource.created');
      bySteward(created);
      expect(created).toMatchObject({ resources: [fromPackage.json().code], data: { via: 'datapackage' } });
    });
  });

  describe('sources and bindings', () => {
    it('logs a source registered, changed and deleted, naming credentials but never their values', async () => {
      const created = await call('POST', '/api/v1/sources', {
        kind: 'postgres',
        name: '证照库',
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        user: 'postgres',
        password: PASSWORD,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const registered = await last('source.created');
      bySteward(registered);
      expect(registered.data).toMatchObject({
        sourceId: id,
        orgId: org.id,
        kind: 'postgres',
        hasPassword: true,
      });

      const changed = await call('PATCH', `/api/v1/sources/${id}`, { password: `${PASSWORD}-2`, port: 5433 });
      expect(changed.statusCode, changed.body).toBe(200);
      const updated = await last('source.updated');
      bySteward(updated);
      expect(updated.data).toMatchObject({ sourceId: id, fields: ['password', 'port'] });

      const api = await call('POST', '/api/v1/sources', {
        kind: 'http_json',
        name: '接口',
        url: 'http://127.0.0.1:9/records',
        authHeaderValue: TOKEN,
      });
      expect(api.statusCode, api.body).toBe(201);
      expect((await last('source.created')).data).toMatchObject({ kind: 'http_json', hasAuthHeader: true });

      expect((await call('DELETE', `/api/v1/sources/${id}`)).statusCode).toBe(204);
      const deleted = await last('source.deleted');
      bySteward(deleted);
      expect(deleted.data).toMatchObject({ sourceId: id, name: '证照库' });

      const everything: string[] = [];
      for await (const entry of server.audit.streamEntries({})) everything.push(JSON.stringify(entry));
      expect(everything.join('\n')).not.toContain(PASSWORD);
      expect(everything.join('\n')).not.toContain(TOKEN.slice(7));
    });

    it('logs a file upload, a retyping, a binding and an unbinding', async () => {
      const uploaded = await postCsv('/api/v1/sources/files?name=births', CSV);
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const sourceId = uploaded.json().source.id;
      const fileEntry = await last('source.created');
      bySteward(fileEntry);
      expect(fileEntry.data).toMatchObject({ sourceId, kind: 'file', format: 'csv', rowCount: 2 });

      const retyped = await call('PATCH', `/api/v1/sources/${sourceId}/columns`, {
        columns: [{ name: 'csrq', type: 'string' }],
      });
      expect(retyped.statusCode, retyped.body).toBe(200);
      const retypeEntry = await last('source.retyped');
      bySteward(retypeEntry);
      expect(retypeEntry.data).toMatchObject({ sourceId, columns: ['csrq:string'] });

      const resource = await call('POST', '/api/v1/resources', resourceInput({ items: ITEMS }));
      const code = resource.json().code;
      const binding = { sourceId, from: { kind: 'table', table: 'data' } };
      const bound = await call('PUT', `/api/v1/resources/${code}/binding`, binding);
      expect(bound.statusCode, bound.body).toBe(200);
      const boundEntry = await last('resource.bound');
      bySteward(boundEntry);
      expect(boundEntry).toMatchObject({
        resources: [code],
        data: { sourceId, previousSourceId: null, columns: ['姓名=xm', '出生日期=csrq'] },
      });
      expect((await call('PUT', `/api/v1/resources/${code}/binding`, binding)).statusCode).toBe(200);
      expect((await last('resource.bound')).data).toMatchObject({ previousSourceId: sourceId });

      expect((await call('DELETE', `/api/v1/resources/${code}/binding`)).statusCode).toBe(204);
      const unbound = await last('resource.unbound');
      bySteward(unbound);
      expect(unbound).toMatchObject({ resources: [code], data: { sourceId } });
    });
  });
});
