import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
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
});
