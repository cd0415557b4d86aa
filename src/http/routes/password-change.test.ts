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

const INITIAL = 'initial-pass-1234';
const CHOSEN = 'my own password 42';

describeEachStore('password change at first sign-in (等保)', (kind) => {
  let server: TestServer;
  let admin: Credentials;
  let orgId: string;
  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as string });
  const create = async (username: string, extra: Record<string, unknown> = {}) => {
    const created = await call(admin, 'POST', '/api/v1/users', {
      orgId,
      username,
      displayName: '新用户',
      password: INITIAL,
      roles: ['analyst'],
      ...extra,
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  };

  beforeAll(async () => {
    server = await openTestServer(kind);
    const org = await buildOrganization(server.store.db);
    orgId = org.id;
    const adminUser = await buildUser(server.store.db, { orgId, roles: ['org_admin'] });
    admin = await loginAs(server.app, adminUser.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  it('refuses every call but the change until the user has changed the password an administrator set', async () => {
    const created = await create(`fresh-${kind}`);
    expect(created.mustChangePassword).toBe(true);

    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: `fresh-${kind}`, password: INITIAL },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const first = await loginAs(server.app, `fresh-${kind}`, INITIAL);

    for (const [method, url] of [
      ['GET', '/api/v1/catalog/search'],
      ['GET', '/api/v1/grants'],
      ['POST', '/api/v1/applications'],
    ] as const) {
      const refused = await call(first, method, url, method === 'POST' ? { name: '应用' } : undefined);
      expect([refused.statusCode, errorCode(refused)], `${method} ${url}`).toEqual([
        403,
        'password_change_required',
      ]);
    }
    const zh = await server.app.inject({
      url: '/api/v1/grants',
      headers: { ...first.headers, 'accept-language': 'zh-CN' },
    });
    expect(zh.json().error.message).toBe('请先修改初始密码');

    const me = await call(first, 'GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);

    const wrong = await call(first, 'POST', '/api/v1/auth/password', {
      currentPassword: 'not the password',
      newPassword: CHOSEN,
    });
    expect(wrong.statusCode).toBe(401);
    const changed = await call(first, 'POST', '/api/v1/auth/password', {
      currentPassword: INITIAL,
      newPassword: CHOSEN,
    });
    expect(changed.statusCode, changed.body).toBe(204);

    const again = await loginAs(server.app, `fresh-${kind}`, CHOSEN);
    expect((await call(again, 'GET', '/api/v1/grants')).statusCode).toBe(200);
    expect((await call(again, 'GET', '/api/v1/auth/me')).json().user.mustChangePassword).toBe(false);
  });

  it('asks again after an administrator resets the password; an account made without the flag is not asked', async () => {
    const user = await create(`reset-${kind}`, { mustChangePassword: false });
    expect(user.mustChangePassword).toBe(false);
    const session = await loginAs(server.app, `reset-${kind}`, INITIAL);
    expect((await call(session, 'GET', '/api/v1/grants')).statusCode).toBe(200);

    const reset = await call(admin, 'PATCH', `/api/v1/users/${user.id}`, { password: 'reset-by-admin-99' });
    expect([reset.statusCode, reset.json().mustChangePassword]).toEqual([200, true]);
    const afterReset = await loginAs(server.app, `reset-${kind}`, 'reset-by-admin-99');
    const refused = await call(afterReset, 'GET', '/api/v1/grants');
    expect(errorCode(refused)).toBe('password_change_required');

    // Other changes keep the flag as it is.
    const renamed = await call(admin, 'PATCH', `/api/v1/users/${user.id}`, { displayName: '改名' });
    expect(renamed.json().mustChangePassword).toBe(true);
  });
});
