import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildSharedResource, stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { type Actor, ANONYMOUS } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { acceptLicence } from './licence.js';
import { getOpenRelease, setOpenRelease } from './open-release.js';
import { resolveAccess } from './resolve-access.js';

const IP = '203.0.113.9';

describeEachStore('open data', (kind) => {
  let store: Store;
  let providerId: string;
  let reader: Actor;
  beforeAll(async () => {
    store = await openTestStore(kind);
    providerId = (await buildOrganization(store.db)).id;
    const orgId = (await buildOrganization(store.db)).id;
    // An organisation administrator: no data.read, yet open data is open to every account.
    reader = { kind: 'user', userId: crypto.randomUUID(), orgId, username: 'reader', roles: ['org_admin'] };
  });
  afterAll(() => store.close());

  it('serves 无条件开放 data to anyone with personal items dropped, and refuses a release in clear', async () => {
    const open = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    const anonymous = await resolveAccess(store.db, ANONYMOUS, open, { ip: IP });
    expect(anonymous).toMatchObject({ mode: 'open', grantId: null, quota: null, items: [{ name: '区划' }] });
    expect(await getOpenRelease(store.db, ANONYMOUS, open.code)).toMatchObject({ configured: false });
    const steward = stewardOf(providerId);
    await expect(
      setOpenRelease(store.db, steward, open.code, { items: [{ name: '姓名', mask: { kind: 'none' } }] }),
    ).rejects.toMatchObject({ status: 400, code: 'open_release_has_personal_data' });
    const masked = await setOpenRelease(store.db, steward, open.code, {
      items: [{ name: '姓名' }, { name: '区划' }],
    });
    expect(masked.items).toEqual([
      { name: '姓名', mask: { kind: 'name' } },
      { name: '区划', mask: { kind: 'none' } },
    ]);
    // A personal item goes out: no quasi-identifiers named, the proposed one released is the gate.
    expect(masked).toMatchObject({
      kAnonymity: { quasiIdentifiers: ['区划'], k: 5 },
      kAnonymityProposed: true,
    });
    expect((await resolveAccess(store.db, ANONYMOUS, open, { ip: IP })).items).toHaveLength(2);
    await expect(setOpenRelease(store.db, reader, open.code, { items: [] })).rejects.toMatchObject({
      status: 404,
      message: 'Resource not found',
    });
    // An item marked personal after the release was set does not go out in clear.
    await store.db
      .updateTable('open_releases')
      .set({ items: JSON.stringify([{ name: '身份证号', mask: { kind: 'none' } }]) })
      .where('resource_id', '=', open.id)
      .execute();
    await expect(resolveAccess(store.db, ANONYMOUS, open, { ip: IP })).rejects.toMatchObject({
      status: 403,
      code: 'open_release_has_personal_data',
      details: { items: ['身份证号'] },
    });
  });

  it('stores who set a release, replaces it when set again, and drops items the catalog no longer has', async () => {
    const open = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    const steward = stewardOf(providerId) as Extract<Actor, { kind: 'user' }>;
    await expect(
      setOpenRelease(store.db, steward, open.code, { items: [{ name: '区划' }, { name: '无此项' }] }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unknown_item',
      details: { field: 'items', items: ['无此项'] },
    });
    await setOpenRelease(store.db, steward, open.code, { items: [{ name: '区划' }] });
    const stored = () =>
      store.db
        .selectFrom('open_releases')
        .selectAll()
        .where('resource_id', '=', open.id)
        .executeTakeFirstOrThrow();
    expect(await stored()).toMatchObject({ updated_by: `user:${steward.userId}` });
    const app: Actor = {
      kind: 'application',
      applicationId: crypto.randomUUID(),
      keyId: crypto.randomUUID(),
      orgId: providerId,
      roles: ['data_steward'],
    };
    const set = await setOpenRelease(store.db, app, open.code, {
      items: [{ name: '手机号码', mask: { kind: 'mobile' } }, { name: '区划' }],
    });
    expect(set).toEqual({
      resourceCode: open.code,
      configured: true,
      items: [
        { name: '手机号码', mask: { kind: 'mobile' } },
        { name: '区划', mask: { kind: 'none' } },
      ],
      kAnonymity: { quasiIdentifiers: ['区划'], k: 5 },
      kAnonymityProposed: true,
      proposedQuasiIdentifiers: [{ item: '区划', kind: 'region' }],
    });
    expect(await stored()).toMatchObject({
      updated_by: `application:${(app as { applicationId: string }).applicationId}`,
      k: 5,
    });
    // Stored, the applied proposal is the release's gate like a named one.
    expect(await getOpenRelease(store.db, ANONYMOUS, open.code)).toEqual({
      ...set,
      kAnonymityProposed: false,
    });
    // An item removed from the catalog since is dropped, not served.
    const fewer = { ...open, items: open.items.filter((i) => i.name !== '手机号码') };
    expect((await resolveAccess(store.db, ANONYMOUS, fewer, { ip: IP })).items).toEqual([
      { name: '区划', mask: { kind: 'none' } },
    ]);
    // The default release: every item that is not personal, in clear, and nothing personal.
    const fresh = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    expect(await getOpenRelease(store.db, ANONYMOUS, fresh.code)).toEqual({
      resourceCode: fresh.code,
      configured: false,
      items: [{ name: '区划', mask: { kind: 'none' } }],
      kAnonymity: null,
      kAnonymityProposed: false,
      proposedQuasiIdentifiers: [{ item: '区划', kind: 'region' }],
    });
    expect(await resolveAccess(store.db, ANONYMOUS, fresh, { ip: IP })).toEqual({
      mode: 'open',
      resourceCode: fresh.code,
      grantId: null,
      purpose: '数据开放',
      use: 'detail',
      items: [{ name: '区划', mask: { kind: 'none' } }],
      rowFilter: [],
      quota: null,
      mayExport: true,
      privacyBudget: null,
      kGate: null,
    });
  });

  it('gates every release of personal items: the proposal when none is named, none refused', async () => {
    const open = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    const steward = stewardOf(providerId);
    const personal = [{ name: '姓名' }, { name: '健康状况' }, { name: '区划' }];
    await expect(
      setOpenRelease(store.db, steward, open.code, { items: personal, quasiIdentifiers: [] }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'quasi_identifiers_required',
      details: { field: 'quasiIdentifiers', items: ['姓名', '健康状况'] },
    });
    // The steward's k, over the proposal; a smaller one than the minimum stays refused.
    expect(
      await setOpenRelease(store.db, steward, open.code, { items: personal, k: 8 }, { minK: 6 }),
    ).toMatchObject({
      kAnonymity: { quasiIdentifiers: ['区划'], k: 8 },
      kAnonymityProposed: true,
    });
    await expect(
      setOpenRelease(store.db, steward, open.code, { items: personal, k: 5 }, { minK: 6 }),
    ).rejects.toMatchObject({ status: 400, code: 'k_below_minimum' });
    // No proposed quasi-identifier released: the whole release is one class.
    expect(await setOpenRelease(store.db, steward, open.code, { items: [{ name: '姓名' }] })).toMatchObject({
      kAnonymity: { quasiIdentifiers: [], k: 5 },
      kAnonymityProposed: true,
    });
    // Nothing personal released: no gate is needed, none named means none.
    expect(
      await setOpenRelease(store.db, steward, open.code, { items: [{ name: '区划' }], quasiIdentifiers: [] }),
    ).toMatchObject({ kAnonymity: null, kAnonymityProposed: false });
    expect(await setOpenRelease(store.db, steward, open.code, { items: [{ name: '区划' }] })).toMatchObject({
      kAnonymity: null,
      kAnonymityProposed: false,
    });
  });

  it('gates a release of personal items stored without a gate with the proposal and the platform minimum', async () => {
    const open = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    // As stored before gates were required: personal items, no quasi-identifiers, no k.
    await store.db
      .insertInto('open_releases')
      .values({
        resource_id: open.id,
        items: JSON.stringify([
          { name: '姓名', mask: { kind: 'name' } },
          { name: '区划', mask: { kind: 'none' } },
        ]),
        quasi_identifiers: null,
        k: null,
        updated_by: null,
        updated_at: new Date(),
      })
      .execute();
    expect(await resolveAccess(store.db, ANONYMOUS, open, { ip: IP, openDataMinK: 7 })).toMatchObject({
      mode: 'open',
      kGate: { quasiIdentifiers: ['区划'], k: 7 },
    });
    expect(await getOpenRelease(store.db, ANONYMOUS, open.code, 7)).toMatchObject({
      configured: true,
      kAnonymity: { quasiIdentifiers: ['区划'], k: 7 },
      kAnonymityProposed: true,
    });
    // Without a personal item, a release stored without a gate stays without one.
    await store.db
      .updateTable('open_releases')
      .set({ items: JSON.stringify([{ name: '区划', mask: { kind: 'none' } }]) })
      .where('resource_id', '=', open.id)
      .execute();
    expect((await resolveAccess(store.db, ANONYMOUS, open, { ip: IP, openDataMinK: 7 })).kGate).toBeNull();
  });

  it('refuses to configure an open release of core data, even of items that are not personal', async () => {
    const core = await buildSharedResource(store.db, providerId, {
      openType: 'unconditional',
      grade: 'core',
    });
    await expect(
      setOpenRelease(store.db, stewardOf(providerId), core.code, { items: [{ name: '区划' }] }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'core_data_not_releasable',
      message: 'Core data is never released openly',
    });
    expect(await getOpenRelease(store.db, stewardOf(providerId), core.code)).toMatchObject({
      configured: false,
    });
    // A personal item in clear is named, as a 400 when set.
    const open = await buildSharedResource(store.db, providerId, { openType: 'unconditional' });
    await expect(
      setOpenRelease(store.db, stewardOf(providerId), open.code, {
        items: [
          { name: '区划' },
          { name: '姓名', mask: { kind: 'none' } },
          { name: '手机号码', mask: { kind: 'none' } },
        ],
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: 'Personal items cannot be released openly in clear: 姓名, 手机号码',
      details: { items: ['姓名', '手机号码'] },
    });
  });

  it('needs an account and an accepted licence for 有条件开放 data', async () => {
    const open = await buildSharedResource(store.db, providerId, { openType: 'conditional' });
    await expect(resolveAccess(store.db, ANONYMOUS, open, { ip: IP })).rejects.toMatchObject({
      status: 401,
      message: 'Conditionally open data needs an account and an accepted licence',
    });
    await expect(resolveAccess(store.db, reader, open, { ip: IP })).rejects.toMatchObject({
      code: 'licence_not_accepted',
      message: 'Accept the resource’s licence first',
    });
    expect(await acceptLicence(store.db, reader, open.code)).toMatchObject({ licence: 'CC-BY-4.0' });
    expect((await acceptLicence(store.db, reader, open.code)).resourceCode).toBe(open.code);
    expect((await resolveAccess(store.db, reader, open, { ip: IP })).mode).toBe('open');
    const closed = await buildSharedResource(store.db, providerId, { sharingType: 'conditional' });
    await expect(acceptLicence(store.db, reader, closed.code)).rejects.toMatchObject({
      code: 'no_licence_needed',
    });
  });

  it('never releases core data openly', async () => {
    const core = await buildSharedResource(store.db, providerId, {
      openType: 'unconditional',
      grade: 'core',
    });
    await expect(resolveAccess(store.db, ANONYMOUS, core, { ip: IP })).rejects.toMatchObject({
      code: 'core_data_not_releasable',
    });
  });
});
