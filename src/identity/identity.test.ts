import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildUser,
  makeCreditCode,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import {
  authenticateApiKey,
  createOrganization,
  listOrganizations,
  login,
  resolveSession,
  revokeApiKey,
} from './index.js';

const THROTTLE = {
  account: { backoffAfter: 5, lockAfter: 10, lockSeconds: 900 },
  address: { backoffAfter: 20, lockAfter: 50, lockSeconds: 900 },
  forgetSeconds: 86_400,
};

describeEachStore('identity store', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it('creates an enterprise with a valid credit code and names its region', async () => {
    const org = await createOrganization(store.db, {
      name: '福建测试科技有限公司',
      kind: 'enterprise',
      level: 'municipal',
      regionCode: '350102',
      creditCode: makeCreditCode('350102'),
    });
    expect(org.regionName).toBe('福建省 福州市 鼓楼区');
  });

  it('refuses an invalid region, a bad credit code and a duplicate name, writing nothing', async () => {
    const base = { kind: 'department', level: 'provincial', regionCode: '350000' } as const;
    await expect(
      createOrganization(store.db, { ...base, name: 'x1', regionCode: '999999' }),
    ).rejects.toMatchObject({
      code: 'invalid_region_code',
    });
    await expect(
      createOrganization(store.db, {
        ...base,
        name: 'x2',
        kind: 'enterprise',
        creditCode: '91350100M000100Y44',
      }),
    ).rejects.toMatchObject({ code: 'invalid_credit_code' });
    await expect(
      createOrganization(store.db, { ...base, name: 'x3', kind: 'enterprise' }),
    ).rejects.toMatchObject({
      code: 'credit_code_required',
    });
    await createOrganization(store.db, { ...base, name: 'dup' });
    await expect(createOrganization(store.db, { ...base, name: 'dup' })).rejects.toMatchObject({
      status: 409,
    });
    const names = (await listOrganizations(store.db, { limit: 200 })).items.map((o) => o.name);
    expect(names.filter((n) => ['x1', 'x2', 'x3', 'dup'].includes(n))).toEqual(['dup']);
  });

  it('paginates with an opaque cursor and rejects a forged one', async () => {
    for (let i = 0; i < 5; i++) await buildOrganization(store.db);
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await listOrganizations(store.db, { limit: 2, cursor });
      for (const o of page.items) seen.add(o.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.size).toBe((await listOrganizations(store.db, { limit: 200 })).items.length);
    await expect(listOrganizations(store.db, { limit: 2, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it('logs in with the right password only and resolves the session', async () => {
    const user = await buildUser(store.db);
    const attempt = (password: string) =>
      login(store.db, { username: user.username, password, ip: '192.0.2.1', hours: 1, throttle: THROTTLE });
    await expect(attempt('wrong password')).rejects.toMatchObject({ status: 401 });
    const session = await attempt(TEST_PASSWORD);
    const resolved = await resolveSession(store.db, session.token);
    expect(resolved?.actor).toMatchObject({ kind: 'user', userId: user.id, orgId: user.orgId });
  });

  it('authenticates API keys until revoked', async () => {
    const org = await buildOrganization(store.db);
    const { key, apiKey } = await buildApiKey(store.db, org.id);
    expect(key).toMatch(/^ht_[0-9a-f]{12}_/);
    expect(await authenticateApiKey(store.db, key)).toMatchObject({ kind: 'application', orgId: org.id });
    await revokeApiKey(store.db, apiKey.id);
    await expect(authenticateApiKey(store.db, key)).rejects.toMatchObject({ code: 'api_key_revoked' });
  });
});
