import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildApplication,
  buildOrganization,
  buildUser,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';
import { ForbiddenError } from '../../errors/index.js';
import { type Actor, authorize, type OrganizationView } from '../../identity/index.js';

describeEachStore('identity routes', (kind) => {
  let server: TestServer;
  let orgA: OrganizationView;
  let orgB: OrganizationView;
  let adminA: Credentials; // org_admin of A
  let adminB: Credentials; // org_admin of B
  let platformAdmin: Credentials;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    orgA = await buildOrganization(db);
    orgB = await buildOrganization(db);
    const a = await buildUser(db, { orgId: orgA.id, roles: ['org_admin', 'analyst'] });
    const b = await buildUser(db, { orgId: orgB.id, roles: ['org_admin', 'analyst'] });
    const p = await buildUser(db, { roles: ['platform_admin'] });
    adminA = await loginAs(server.app, a.username, TEST_PASSWORD);
    adminB = await loginAs(server.app, b.username, TEST_PASSWORD);
    platformAdmin = await loginAs(server.app, p.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });

  describe('sessions', () => {
    it('refuses a wrong password with one error and no cookie', async () => {
      const user = await buildUser(server.store.db);
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: 'not the password' },
      });
      expect([response.statusCode, errorCode(response)]).toEqual([401, 'invalid_credentials']);
      expect(response.cookies).toHaveLength(0);
      const nobody = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody-here', password: 'whatever' },
      });
      expect(errorCode(nobody)).toBe('invalid_credentials');
    });

    it('sets an HttpOnly SameSite=Lax session cookie and requires the CSRF token on writes', async () => {
      const user = await buildUser(server.store.db, { roles: ['analyst'] });
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: TEST_PASSWORD },
      });
      const cookie = response.cookies.find((c) => c.name === 'ht_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie.secure).toBeFalsy();
      const headers = { cookie: `ht_session=${cookie.value}` };
      const me = await server.app.inject({ url: '/api/v1/auth/me', headers });
      expect(me.json()).toMatchObject({ kind: 'user', user: { id: user.id }, roles: ['analyst'] });
      const noCsrf = await server.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers,
        payload: { name: 'x' },
      });
      expect([noCsrf.statusCode, errorCode(noCsrf)]).toEqual([403, 'csrf_token_invalid']);
      const withCsrf = await server.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { ...headers, 'x-csrf-token': response.json().csrfToken },
        payload: { name: 'x' },
      });
      expect(withCsrf.statusCode).toBe(201);
    });

    it('accepts only the exact CSRF token (compared in constant time)', async () => {
      const user = await buildUser(server.store.db, { roles: ['analyst'] });
      const creds = await loginAs(server.app, user.username, TEST_PASSWORD);
      const token = creds.headers['x-csrf-token']!;
      const last = token.at(-1) === 'A' ? 'B' : 'A';
      const post = (csrf: string | undefined) =>
        server.app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { cookie: creds.headers.cookie!, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
          payload: { name: 'csrf' },
        });
      for (const wrong of [
        undefined,
        '',
        token.slice(0, -1),
        `${token}x`,
        token.slice(0, -1) + last,
        `${token}, ${token}`,
      ]) {
        const refused = await post(wrong);
        expect([refused.statusCode, errorCode(refused)], String(wrong)).toEqual([403, 'csrf_token_invalid']);
      }
      expect((await post(token)).statusCode).toBe(201);
    });

    it('marks the cookie Secure behind TLS', async () => {
      const tls = await openTestServer(kind, { HUITONG_TRUSTED_PROXIES: '127.0.0.1' });
      try {
        const user = await buildUser(tls.store.db);
        const response = await tls.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'x-forwarded-proto': 'https' },
          payload: { username: user.username, password: TEST_PASSWORD },
        });
        expect(response.cookies.find((c) => c.name === 'ht_session')!.secure).toBe(true);
      } finally {
        await tls.close();
      }
    });

    it('ends the session on logout', async () => {
      const user = await buildUser(server.store.db);
      const creds = await loginAs(server.app, user.username, TEST_PASSWORD);
      expect((await call(creds, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
      expect((await call(creds, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    });

    it('changes one’s own password only with the current one', async () => {
      const user = await buildUser(server.store.db);
      const creds = await loginAs(server.app, user.username, TEST_PASSWORD);
      const wrong = await call(creds, 'POST', '/api/v1/auth/password', {
        currentPassword: 'nope',
        newPassword: 'another long one',
      });
      expect(wrong.statusCode).toBe(401);
      const ok = await call(creds, 'POST', '/api/v1/auth/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'another long one',
      });
      expect(ok.statusCode).toBe(204);
      await expect(loginAs(server.app, user.username, 'another long one')).resolves.toBeDefined();
    });

    it('refuses a disabled user', async () => {
      const user = await buildUser(server.store.db, { orgId: orgA.id });
      const creds = await loginAs(server.app, user.username, TEST_PASSWORD);
      expect((await call(adminA, 'PATCH', `/api/v1/users/${user.id}`, { disabled: true })).statusCode).toBe(
        200,
      );
      expect((await call(creds, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
      await expect(loginAs(server.app, user.username, TEST_PASSWORD)).rejects.toThrow(/401/);
    });
  });

  describe('organisations', () => {
    it('lets only the platform administrator register organisations', async () => {
      const body = { name: `新单位-${kind}`, kind: 'department', level: 'municipal', regionCode: '350100' };
      expect((await call(adminA, 'POST', '/api/v1/organizations', body)).statusCode).toBe(403);
      const created = await call(platformAdmin, 'POST', '/api/v1/organizations', {
        ...body,
        parentId: orgA.id,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ regionName: '福建省 福州市', parentId: orgA.id });
    });

    it('lets an organisation administrator edit only their own organisation', async () => {
      expect(
        (await call(adminA, 'PATCH', `/api/v1/organizations/${orgA.id}`, { level: 'municipal' })).statusCode,
      ).toBe(200);
      const other = await call(adminA, 'PATCH', `/api/v1/organizations/${orgB.id}`, { level: 'municipal' });
      expect([403, 404]).toContain(other.statusCode);
    });

    it('refuses an unknown parent and self-parenting', async () => {
      const unknown = await call(platformAdmin, 'PATCH', `/api/v1/organizations/${orgA.id}`, {
        parentId: '00000000-0000-4000-8000-000000000001',
      });
      expect(errorCode(unknown)).toBe('unknown_parent');
      const self = await call(platformAdmin, 'PATCH', `/api/v1/organizations/${orgA.id}`, {
        parentId: orgA.id,
      });
      expect(errorCode(self)).toBe('invalid_parent');
    });
  });

  describe('users and roles', () => {
    it('lets an organisation administrator create users with organisation roles only', async () => {
      const ok = await call(adminA, 'POST', '/api/v1/users', {
        orgId: orgA.id,
        username: `steward-${kind}`,
        displayName: '数据管理员',
        password: TEST_PASSWORD,
        roles: ['data_steward'],
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).not.toHaveProperty('passwordHash');
      expect(ok.body).not.toContain('argon2');
      const auditor = await call(adminA, 'POST', '/api/v1/users', {
        orgId: orgA.id,
        username: `aud-${kind}`,
        displayName: 'x',
        password: TEST_PASSWORD,
        roles: ['auditor'],
      });
      expect(auditor.statusCode).toBe(403);
    });

    it('refuses a user in another organisation and a duplicate username', async () => {
      const other = await call(adminA, 'POST', '/api/v1/users', {
        orgId: orgB.id,
        username: `intruder-${kind}`,
        displayName: 'x',
        password: TEST_PASSWORD,
        roles: ['analyst'],
      });
      expect([403, 404]).toContain(other.statusCode);
      const existing = await buildUser(server.store.db, { orgId: orgA.id });
      const dup = await call(adminA, 'POST', '/api/v1/users', {
        orgId: orgA.id,
        username: existing.username,
        displayName: 'x',
        password: TEST_PASSWORD,
        roles: ['analyst'],
      });
      expect([dup.statusCode, errorCode(dup)]).toEqual([409, 'duplicate_username']);
    });

    it('keeps the three officers apart (三员分立)', async () => {
      const both = await call(platformAdmin, 'POST', '/api/v1/users', {
        orgId: orgA.id,
        username: `twohats-${kind}`,
        displayName: 'x',
        password: TEST_PASSWORD,
        roles: ['platform_admin', 'auditor'],
      });
      expect([both.statusCode, errorCode(both)]).toEqual([400, 'conflicting_roles']);
    });

    it('hides another organisation’s users', async () => {
      const userB = await buildUser(server.store.db, { orgId: orgB.id });
      expect((await call(adminA, 'GET', `/api/v1/users/${userB.id}`)).statusCode).toBe(404);
      expect(
        (await call(adminA, 'PATCH', `/api/v1/users/${userB.id}`, { displayName: 'x' })).statusCode,
      ).toBe(404);
      expect((await call(adminA, 'GET', `/api/v1/users?orgId=${orgB.id}`)).statusCode).toBe(404);
      const own = await call(adminA, 'GET', '/api/v1/users');
      expect(own.json().items.every((u: { orgId: string }) => u.orgId === orgA.id)).toBe(true);
    });
  });

  describe('applications and API keys', () => {
    it('creates a key shown once, authenticates with it, and stops it on revocation', async () => {
      const app = await call(adminA, 'POST', '/api/v1/applications', { name: `system-${kind}` });
      expect(app.statusCode).toBe(201);
      const created = await call(adminA, 'POST', `/api/v1/applications/${app.json().id}/keys`, {
        name: 'prod',
        roles: ['analyst'],
      });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const { key, apiKey } = created.json();
      expect(key.startsWith(apiKey.prefix)).toBe(true);
      const listed = await call(adminA, 'GET', `/api/v1/applications/${app.json().id}/keys`);
      expect(listed.body).not.toContain(key);
      const me = await call(bearer(key), 'GET', '/api/v1/auth/me');
      expect(me.json()).toMatchObject({
        kind: 'application',
        organization: { id: orgA.id },
        roles: ['analyst'],
      });
      const used = await call(adminA, 'GET', `/api/v1/applications/${app.json().id}/keys`);
      expect(used.json().items[0].lastUsedAt).not.toBeNull();
      await call(adminA, 'POST', `/api/v1/applications/${app.json().id}/keys/${apiKey.id}/revoke`);
      const after = await call(bearer(key), 'GET', '/api/v1/auth/me');
      expect([after.statusCode, errorCode(after)]).toEqual([401, 'api_key_revoked']);
    });

    it('refuses expired, unknown and malformed keys with 401', async () => {
      const { key, apiKey } = await buildApiKey(server.store.db, orgA.id);
      await server.store.db
        .updateTable('api_keys')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', apiKey.id)
        .execute();
      expect(errorCode(await call(bearer(key), 'GET', '/api/v1/auth/me'))).toBe('api_key_expired');
      const forged = `${key.slice(0, -4)}AAAA`;
      expect(errorCode(await call(bearer(forged), 'GET', '/api/v1/auth/me'))).toBe('invalid_api_key');
      expect(errorCode(await call(bearer('not-a-key'), 'GET', '/api/v1/auth/me'))).toBe('invalid_api_key');
      const basic = await server.app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: 'Basic YTpi' },
      });
      expect(basic.statusCode).toBe(401);
    });

    it('refuses a key that would carry administrative roles, and a key minting keys', async () => {
      const application = await buildApplication(server.store.db, orgA.id);
      const bad = await call(adminA, 'POST', `/api/v1/applications/${application.id}/keys`, {
        name: 'x',
        roles: ['org_admin'],
      });
      expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'invalid_key_roles']);
      const { key } = await buildApiKey(server.store.db, orgA.id);
      const minted = await call(bearer(key), 'POST', `/api/v1/applications/${application.id}/keys`, {
        name: 'x',
      });
      expect(minted.statusCode).toBe(403);
    });

    it('hides another organisation’s applications and keys on every object route (BOLA)', async () => {
      const { application, apiKey } = await buildApiKey(server.store.db, orgB.id);
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/applications/${application.id}`],
        ['PATCH', `/api/v1/applications/${application.id}`, { name: 'stolen' }],
        ['GET', `/api/v1/applications/${application.id}/keys`],
        ['POST', `/api/v1/applications/${application.id}/keys`, { name: 'stolen' }],
        ['POST', `/api/v1/applications/${application.id}/keys/${apiKey.id}/revoke`],
      ];
      for (const [method, url, body] of routes) {
        const response = await call(adminA, method, url, body);
        expect(response.statusCode, `${method} ${url}`).toBe(404);
      }
      // The platform administrator administers the system, not other organisations' keys.
      const platform = await call(platformAdmin, 'POST', `/api/v1/applications/${application.id}/keys`, {
        name: 'x',
      });
      expect([403, 404]).toContain(platform.statusCode);
      // A key of A naming B's own key under A's application is not found either.
      const own = await buildApplication(server.store.db, orgA.id);
      const cross = await call(adminA, 'POST', `/api/v1/applications/${own.id}/keys/${apiKey.id}/revoke`);
      expect(cross.statusCode).toBe(404);
      const still = await call(adminB, 'GET', `/api/v1/applications/${application.id}/keys`);
      expect(still.json().items[0].status).toBe('active');
    });
  });

  it('paginates lists with limit and an opaque cursor', async () => {
    for (let i = 0; i < 3; i++) await buildOrganization(server.store.db);
    const first = await call(platformAdmin, 'GET', '/api/v1/organizations?limit=2');
    expect(first.json().items).toHaveLength(2);
    const second = await call(
      platformAdmin,
      'GET',
      `/api/v1/organizations?limit=2&cursor=${first.json().nextCursor}`,
    );
    expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
    expect(errorCode(await call(platformAdmin, 'GET', '/api/v1/organizations?limit=500'))).toBe(
      'invalid_request',
    );
  });
});

describe('separation of duties in the policy', () => {
  const as = (roles: Actor extends infer A ? (A extends { roles: infer R } ? R : never) : never): Actor => ({
    kind: 'user',
    userId: 'u',
    orgId: 'o',
    username: 'x',
    roles,
  });
  it('keeps the platform administrator out of the audit log and shared data', () => {
    expect(() => authorize(as(['platform_admin']), 'audit.read')).toThrow(ForbiddenError);
    expect(() => authorize(as(['platform_admin']), 'data.read')).toThrow(ForbiddenError);
  });
  it('lets the auditor read the audit log but no shared data', () => {
    expect(authorize(as(['auditor']), 'audit.read')).toBeDefined();
    expect(() => authorize(as(['auditor']), 'data.read')).toThrow(ForbiddenError);
  });
  it('lets an organisation administrator read only its own organisation’s audit entries', () => {
    expect(authorize(as(['org_admin']), 'audit.read', { orgId: 'o' })).toBeDefined();
    expect(() => authorize(as(['org_admin']), 'audit.read', { orgId: 'other' })).toThrow();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the per-IP limit', async () => {
    const server = await openTestServer('pglite', { HUITONG_RATE_LIMIT_PER_IP: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await server.app.inject({ url: '/api/health' })).statusCode);
      expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await server.app.inject({ url: '/api/health' });
      expect([limited.statusCode, errorCode(limited)]).toEqual([429, 'rate_limited']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
