import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApplication,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';
import {
  canonicalBytes,
  leafHash,
  openNote,
  verifierFromVkey,
  verifyExport,
  verifyInclusion,
} from '../../audit/index.js';

describeEachStore('audit routes', (kind) => {
  let server: TestServer;
  let auditor: Credentials;
  let platformAdmin: Credentials;
  let orgAdmin: Credentials;
  let orgAdminOrg: string;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const org = await buildOrganization(db);
    orgAdminOrg = org.id;
    auditor = await loginAs(
      server.app,
      (await buildUser(db, { roles: ['auditor'] })).username,
      TEST_PASSWORD,
    );
    platformAdmin = await loginAs(
      server.app,
      (await buildUser(db, { roles: ['platform_admin'] })).username,
      TEST_PASSWORD,
    );
    orgAdmin = await loginAs(
      server.app,
      (await buildUser(db, { orgId: org.id, roles: ['org_admin'] })).username,
      TEST_PASSWORD,
    );
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ghost', password: 'guess' },
    });
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: orgAdmin.headers,
      payload: { name: 'logged' },
    });
  });
  afterAll(() => server.close());

  it('logs logins, failed logins and changes, readable by the auditor', async () => {
    const response = await server.app.inject({
      url: '/api/v1/audit/entries?limit=200',
      headers: auditor.headers,
    });
    expect(response.statusCode).toBe(200);
    const types = response.json().items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'application.created']));
    const failed = response.json().items.find((e: { type: string }) => e.type === 'auth.login_failed');
    expect(failed.data).toMatchObject({ username: 'ghost' });
    expect(JSON.stringify(response.json())).not.toContain(TEST_PASSWORD);
  });

  it('keeps the platform administrator out of the log and the organisation administrator to its own entries', async () => {
    const denied = await server.app.inject({ url: '/api/v1/audit/entries', headers: platformAdmin.headers });
    expect([denied.statusCode, errorCode(denied)]).toEqual([403, 'forbidden']);
    const own = await server.app.inject({
      url: '/api/v1/audit/entries?limit=200',
      headers: orgAdmin.headers,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().items.length).toBeGreaterThan(0);
    expect(own.json().items.every((e: { actor: { orgId: string } }) => e.actor.orgId === orgAdminOrg)).toBe(
      true,
    );
    const other = await server.app.inject({
      url: '/api/v1/audit/entries?orgId=someone-else',
      headers: orgAdmin.headers,
    });
    expect(other.statusCode).toBe(404);
    expect(
      (await server.app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: orgAdmin.headers }))
        .statusCode,
    ).toBe(403);
  });

  it('publishes a signed checkpoint, its key and inclusion proofs that verify', async () => {
    const key = (await server.app.inject({ url: '/api/v1/audit/public-key' })).json();
    const checkpoint = (await server.app.inject({ url: '/api/v1/audit/checkpoint' })).json();
    const opened = openNote(checkpoint.note, [verifierFromVkey(key.vkey)]);
    expect(opened.text).toContain(`${checkpoint.treeSize}\n${checkpoint.rootHash}\n`);
    const note = await server.app.inject({ url: '/api/v1/audit/checkpoint/note' });
    expect(note.headers['content-type']).toContain('text/plain');
    expect(note.body).toBe(checkpoint.note);
    const entry = (
      await server.app.inject({ url: '/api/v1/audit/entries/0', headers: auditor.headers })
    ).json();
    const proof = (
      await server.app.inject({ url: `/api/v1/audit/proof/inclusion?index=0&size=${checkpoint.treeSize}` })
    ).json();
    const bytes = canonicalBytes({ v: 1, ...entry.entry });
    expect(leafHash(bytes).toString('base64')).toBe(proof.leafHash);
    expect(
      verifyInclusion(
        0,
        checkpoint.treeSize,
        Buffer.from(proof.leafHash, 'base64'),
        proof.path.map((p: string) => Buffer.from(p, 'base64')),
        Buffer.from(checkpoint.rootHash, 'base64'),
      ),
    ).toBe(true);
  });

  it('exports entries as CSV and verifies the whole log', async () => {
    const csv = await server.app.inject({
      url: '/api/v1/audit/entries.csv?type=auth.login',
      headers: auditor.headers,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('index,time,type');
    expect(csv.body).toContain('auth.login');
    const verify = await server.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      headers: auditor.headers,
    });
    expect(verify.json().ok).toBe(true);
    const exported = await server.app.inject({
      url: '/api/v1/audit/export.ndjson',
      headers: auditor.headers,
    });
    expect(exported.statusCode).toBe(200);
    const report = await verifyExport(exported.body.trim().split('\n'));
    expect(report.ok).toBe(true);
    const denied = await server.app.inject({
      url: '/api/v1/audit/export.ndjson',
      headers: platformAdmin.headers,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('refuses malformed proof requests', async () => {
    const bad = await server.app.inject({ url: '/api/v1/audit/proof/inclusion?index=5&size=2' });
    expect(errorCode(bad)).toBe('invalid_proof_request');
    const missing = await server.app.inject({ url: '/api/v1/audit/proof/consistency?from=x&to=2' });
    expect(errorCode(missing)).toBe('invalid_request');
  });

  it('pages newest first on request, log order by default, and names what entries mention', async () => {
    const asc = (
      await server.app.inject({ url: '/api/v1/audit/entries?limit=3', headers: auditor.headers })
    ).json();
    expect(asc.items.map((e: { index: number }) => e.index)).toEqual([0, 1, 2]);
    const first = (
      await server.app.inject({ url: '/api/v1/audit/entries?limit=3&order=desc', headers: auditor.headers })
    ).json();
    const all = (
      await server.app.inject({ url: '/api/v1/audit/entries?limit=200', headers: auditor.headers })
    ).json();
    const newest = Math.max(...all.items.map((e: { index: number }) => e.index));
    expect(first.items.map((e: { index: number }) => e.index)).toEqual([newest, newest - 1, newest - 2]);
    const second = (
      await server.app.inject({
        url: `/api/v1/audit/entries?limit=3&order=desc&cursor=${encodeURIComponent(first.nextCursor)}`,
        headers: auditor.headers,
      })
    ).json();
    expect(second.items[0].index).toBe(newest - 3);
    const below = (
      await server.app.inject({
        url: '/api/v1/audit/entries?limit=2&order=desc&to=2',
        headers: auditor.headers,
      })
    ).json();
    expect(below.items.map((e: { index: number }) => e.index)).toEqual([1, 0]);
    // The application created by the organisation administrator: its person and organisation by name.
    const created = all.items.find((e: { type: string }) => e.type === 'application.created');
    expect(all.names.users[created.actor.id]).toMatch(/（.+）$/);
    expect(all.names.organizations[orgAdminOrg]).toBeTruthy();
  });

  it('sums releases by recipient, provider and resource, with names, scoped like the entries', async () => {
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: '福州市民政局' });
    const resource = await buildResource(db, provider.id, { name: '低保对象名单' });
    const application = await buildApplication(db, orgAdminOrg);
    const actor = { kind: 'application' as const, id: `${application.id}/key1`, orgId: orgAdminOrg };
    const details = (items: string[]) => ({
      actor,
      requestId: null,
      resources: [resource.code],
      items: { [resource.code]: items },
      grantId: null,
      purpose: '核验',
      query: 'rows',
    });
    const sha = 'a'.repeat(64);
    await server.audit.recordRelease(details(['姓名']), { rows: 10, bytes: 100, sha256: sha });
    const start = await server.audit.beginRelease(details(['出生日期']));
    await server.audit.completeRelease(start, { rows: 5, bytes: 50, sha256: sha });
    await server.audit.recordRelease(details(['姓名']), { rows: 0, bytes: 0, sha256: sha, status: 'failed' });

    const summary = await server.app.inject({
      url: '/api/v1/audit/releases/summary',
      headers: auditor.headers,
    });
    expect(summary.statusCode).toBe(200);
    const row = summary
      .json()
      .items.find((r: { resource: { code: string } }) => r.resource.code === resource.code);
    expect(row).toMatchObject({
      recipient: { kind: 'application', id: application.id, name: application.name, orgId: orgAdminOrg },
      provider: { id: provider.id, name: '福州市民政局' },
      resource: { code: resource.code, name: '低保对象名单' },
      items: ['出生日期', '姓名'],
      releases: 3,
      completed: 2,
      rows: 15,
    });
    expect(row.recipient.orgName).toBeTruthy();
    // The organisation administrator sees what its organisation received; another's is not found.
    const own = await server.app.inject({ url: '/api/v1/audit/releases/summary', headers: orgAdmin.headers });
    expect(own.json().items).toHaveLength(1);
    const foreign = await server.app.inject({
      url: `/api/v1/audit/releases/summary?orgId=${provider.id}`,
      headers: orgAdmin.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const denied = await server.app.inject({
      url: '/api/v1/audit/releases/summary',
      headers: platformAdmin.headers,
    });
    expect(denied.statusCode).toBe(403);
  });
});
