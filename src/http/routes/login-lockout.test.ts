import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import { errorCode, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { describeEachStore } from '../../../test/support/store.js';

// Finding 7 of issue 13: forty wrong passwords and then the right one logged in. Each suite
// below gets servers of its own, since the counters (per account and per address) are the
// point and must not leak between tests.

const attempt = (
  server: TestServer,
  username: string,
  password: string,
  headers: Record<string, string> = {},
  remoteAddress?: string,
) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    headers,
    ...(remoteAddress ? { remoteAddress } : {}),
  });

// Address limits out of the way where a suite is about the account's.
const QUIET_ADDRESS = {
  HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER: '1000',
  HUITONG_LOGIN_ADDRESS_LOCK_AFTER: '1000',
};

const outcome = (response: LightMyRequestResponse) => [response.statusCode, errorCode(response) ?? 'ok'];

/** The audit entries of `type` as the auditor reads them through the API. */
async function auditEntries(server: TestServer, type: string) {
  const auditor = await buildUser(server.store.db, { roles: ['auditor'] });
  const creds = await loginAs(server.app, auditor.username, TEST_PASSWORD);
  const response = await server.app.inject({
    url: `/api/v1/audit/entries?type=${type}&limit=200`,
    headers: creds.headers,
  });
  expect(response.statusCode).toBe(200);
  return response.json().items as Array<{ type: string; data: Record<string, unknown> }>;
}

describeEachStore('login lockout', (kind) => {
  describe('per account', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await openTestServer(kind, {
        ...QUIET_ADDRESS,
        HUITONG_LOGIN_BACKOFF_AFTER: '3',
        HUITONG_LOGIN_LOCK_AFTER: '3',
        HUITONG_LOGIN_LOCK_SECONDS: '2',
      });
    });
    afterAll(() => server.close());

    it('locks an account after N failures: the right password is refused until the lock expires', async () => {
      const user = await buildUser(server.store.db);
      for (let i = 0; i < 3; i++)
        expect(outcome(await attempt(server, user.username, `wrong ${i}`))).toEqual([
          401,
          'invalid_credentials',
        ]);
      const locked = await attempt(server, user.username, TEST_PASSWORD);
      expect(outcome(locked)).toEqual([429, 'login_locked']);
      expect(locked.cookies).toHaveLength(0);
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      expect(locked.body).not.toContain(user.username);

      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
      expect(outcome(await attempt(server, user.username, TEST_PASSWORD))).toEqual([200, 'ok']);
      // The success reset the counter: one more failure is a plain 401, not a lock.
      expect(outcome(await attempt(server, user.username, 'wrong again'))).toEqual([
        401,
        'invalid_credentials',
      ]);
      expect(outcome(await attempt(server, user.username, TEST_PASSWORD))).toEqual([200, 'ok']);
    });

    it('answers an unknown username exactly as a locked existing one', async () => {
      const user = await buildUser(server.store.db);
      const ghost = `ghost-${user.username}`;
      for (const name of [user.username, ghost])
        for (let i = 0; i < 3; i++) await attempt(server, name, 'wrong');
      const real = await attempt(server, user.username, TEST_PASSWORD);
      const fake = await attempt(server, ghost, TEST_PASSWORD);
      expect(outcome(real)).toEqual([429, 'login_locked']);
      expect(fake.body).toBe(real.body);
      expect(fake.statusCode).toBe(real.statusCode);
      expect(Object.keys(fake.headers).sort()).toEqual(Object.keys(real.headers).sort());
    });

    it('audits failures and refused attempts (auth.login_failed, auth.locked)', async () => {
      const user = await buildUser(server.store.db);
      for (let i = 0; i < 3; i++) await attempt(server, user.username, 'wrong');
      await attempt(server, user.username, TEST_PASSWORD);
      const failed = (await auditEntries(server, 'auth.login_failed')).filter(
        (e) => e.data.username === user.username,
      );
      expect(failed).toHaveLength(3);
      const locked = (await auditEntries(server, 'auth.locked')).filter(
        (e) => e.data.username === user.username,
      );
      expect(locked).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            scope: 'account',
            ip: '127.0.0.1',
            retryAfterSeconds: expect.any(Number),
          }),
        }),
      ]);
      expect(JSON.stringify(locked)).not.toContain(TEST_PASSWORD);
    });

    it('answers login_locked in Chinese for a zh-CN console', async () => {
      const user = await buildUser(server.store.db);
      for (let i = 0; i < 3; i++) await attempt(server, user.username, 'wrong');
      const locked = await attempt(server, user.username, TEST_PASSWORD, { 'accept-language': 'zh-CN' });
      expect(locked.json().error.message).toBe('登录失败次数过多，请稍后再试');
    });
  });

  describe('per address, across accounts', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await openTestServer(kind, {
        HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER: '4',
        HUITONG_LOGIN_ADDRESS_LOCK_AFTER: '4',
        HUITONG_LOGIN_LOCK_SECONDS: '60',
      });
    });
    afterAll(() => server.close());

    it('locks an address that fails on many accounts, and only that address', async () => {
      const users = await Promise.all([1, 2, 3, 4, 5].map(() => buildUser(server.store.db)));
      const attacker = '198.51.100.7';
      for (const user of users.slice(0, 4))
        expect(outcome(await attempt(server, user.username, 'wrong', {}, attacker))).toEqual([
          401,
          'invalid_credentials',
        ]);
      const last = users[4]!;
      expect(outcome(await attempt(server, last.username, TEST_PASSWORD, {}, attacker))).toEqual([
        429,
        'login_locked',
      ]);
      expect(outcome(await attempt(server, last.username, TEST_PASSWORD, {}, '198.51.100.8'))).toEqual([
        200,
        'ok',
      ]);
      const locked = (await auditEntries(server, 'auth.locked')).find(
        (e) => e.data.username === last.username,
      );
      expect(locked?.data).toMatchObject({ scope: 'address', ip: attacker });
    });

    it('counts an IPv6 /64 as one address', async () => {
      const user = await buildUser(server.store.db);
      for (let i = 1; i <= 4; i++) await attempt(server, user.username, 'wrong', {}, `2001:db8:1:2::${i}`);
      const other = await buildUser(server.store.db);
      expect(outcome(await attempt(server, other.username, TEST_PASSWORD, {}, '2001:db8:1:2::99'))).toEqual([
        429,
        'login_locked',
      ]);
      expect(outcome(await attempt(server, other.username, TEST_PASSWORD, {}, '2001:db8:1:3::1'))).toEqual([
        200,
        'ok',
      ]);
    });

    it('does not let a successful login of one’s own account reset the address', async () => {
      const own = await buildUser(server.store.db);
      const targets = await Promise.all([1, 2, 3, 4].map(() => buildUser(server.store.db)));
      const from = '198.51.100.20';
      for (const [i, target] of targets.entries()) {
        expect(outcome(await attempt(server, target.username, 'wrong', {}, from))).toEqual([
          401,
          'invalid_credentials',
        ]);
        if (i < 3)
          expect(outcome(await attempt(server, own.username, TEST_PASSWORD, {}, from))).toEqual([200, 'ok']);
      }
      expect(outcome(await attempt(server, own.username, TEST_PASSWORD, {}, from))).toEqual([
        429,
        'login_locked',
      ]);
    });
  });

  describe('two API processes over one store', () => {
    let a: TestServer;
    let b: TestServer;
    const env = {
      ...QUIET_ADDRESS,
      HUITONG_LOGIN_BACKOFF_AFTER: '4',
      HUITONG_LOGIN_LOCK_AFTER: '4',
      HUITONG_LOGIN_LOCK_SECONDS: '60',
    };
    beforeAll(async () => {
      a = await openTestServer(kind, env);
      b = await openTestServer(kind, env, a);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('share one counter: failures through either lock the account on both', async () => {
      const user = await buildUser(a.store.db);
      for (const server of [a, b, a, b]) await attempt(server, user.username, 'wrong');
      expect(outcome(await attempt(b, user.username, TEST_PASSWORD))).toEqual([429, 'login_locked']);
      expect(outcome(await attempt(a, user.username, TEST_PASSWORD))).toEqual([429, 'login_locked']);
    });

    it('let no more than the limit of parallel guesses through, split over both', async () => {
      const user = await buildUser(a.store.db);
      const guesses = await Promise.all(
        Array.from({ length: 16 }, (_, i) => attempt(i % 2 ? a : b, user.username, `guess ${i}`)),
      );
      const codes = guesses.map((g) => errorCode(g));
      expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(4);
      expect(codes.filter((c) => c === 'login_locked')).toHaveLength(12);
    });
  });

  describe('X-Forwarded-For', () => {
    let direct: TestServer;
    let proxied: TestServer;
    const env = { HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER: '3', HUITONG_LOGIN_ADDRESS_LOCK_AFTER: '3' };
    beforeAll(async () => {
      direct = await openTestServer(kind, env);
      proxied = await openTestServer(kind, { ...env, HUITONG_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1' });
    });
    afterAll(async () => {
      await direct.close();
      await proxied.close();
    });

    it('is ignored without trusted proxies: rotating it neither hides the caller nor evades the address limit', async () => {
      const user = await buildUser(direct.store.db);
      const caller = '203.0.113.9';
      for (let i = 1; i <= 3; i++)
        await attempt(direct, user.username, 'wrong', { 'x-forwarded-for': `198.51.100.${i}` }, caller);
      const other = await buildUser(direct.store.db);
      const refused = await attempt(
        direct,
        other.username,
        TEST_PASSWORD,
        { 'x-forwarded-for': '198.51.100.99' },
        caller,
      );
      expect(outcome(refused)).toEqual([429, 'login_locked']);
      const failed = (await auditEntries(direct, 'auth.login_failed')).filter(
        (e) => e.data.username === user.username,
      );
      expect(failed.map((e) => e.data.ip)).toEqual([caller, caller, caller]);
    });

    it('is believed from a configured proxy, and only from it', async () => {
      const user = await buildUser(proxied.store.db);
      for (let i = 1; i <= 3; i++)
        await attempt(proxied, user.username, 'wrong', { 'x-forwarded-for': `198.51.100.${i}` }, '10.1.2.3');
      // Three clients behind the proxy: none has reached the address limit.
      const other = await buildUser(proxied.store.db);
      expect(
        outcome(
          await attempt(
            proxied,
            other.username,
            TEST_PASSWORD,
            { 'x-forwarded-for': '198.51.100.1' },
            '192.0.2.1',
          ),
        ),
      ).toEqual([200, 'ok']);
      // Not a proxy: its header is ignored and the connection's address is used.
      await attempt(proxied, user.username, 'wrong', { 'x-forwarded-for': '198.51.100.50' }, '203.0.113.77');
      const ips = (await auditEntries(proxied, 'auth.login_failed'))
        .filter((e) => e.data.username === user.username)
        .map((e) => e.data.ip);
      expect(ips).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3', '203.0.113.77']);
    });
  });
});
