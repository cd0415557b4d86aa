import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildResource, stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { AppError } from '../errors/index.js';
import { type Actor, ANONYMOUS, type OrganizationView } from '../identity/index.js';
import type { Store } from '../store/index.js';
import {
  canSeeResource,
  createResource,
  getResource,
  getVersion,
  listResources,
  listVersions,
  publishResource,
  retireResource,
  updateResource,
} from './index.js';

/** The code and field of the error a promise rejects with. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { status: error.status, code: error.code, field: (error.details as { field?: string })?.field };
}

describeEachStore('catalog resources', (kind) => {
  let store: Store;
  let org: OrganizationView;
  let other: OrganizationView;
  let steward: Actor;
  beforeAll(async () => {
    store = await openTestStore(kind);
    org = await buildOrganization(store.db, { kind: 'enterprise' });
    other = await buildOrganization(store.db);
    steward = stewardOf(org.id);
  });
  afterAll(() => store.close());

  const count = async () =>
    Number(
      (
        await store.db
          .selectFrom('resources')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates a draft with a code of classification, provider code and sequence', async () => {
    const first = await buildResource(store.db, org.id);
    const second = await buildResource(store.db, org.id);
    expect(first.status).toBe('draft');
    expect(first.version).toBe(0);
    expect(first.code).toBe(`101001-${org.creditCode}-00001`);
    expect(second.code).toBe(`101001-${org.creditCode}-00002`);
    expect(first.classification).toEqual({ code: '101001', name: '人口基本信息' });
    expect(first.items[0]).toMatchObject({
      name: '姓名',
      dataType: 'string',
      personal: true,
      personalKind: 'basic',
    });
    const department = await buildResource(store.db, other.id, { classificationCode: '2' });
    expect(department.code).toMatch(new RegExp(`^2-${other.regionCode}\\d{3}-00001$`));
  });

  it('refuses bad input with a code naming the field and writes nothing', async () => {
    const before = await count();
    const base = {
      name: '坏资源',
      classificationCode: '101001',
      summary: 's',
      format: 'CSV',
      sharingType: 'unconditional' as const,
      sharingMethods: ['api' as const],
      updateCycle: 'daily' as const,
    };
    expect(await failure(createResource(store.db, steward, { ...base, classificationCode: '999' }))).toEqual({
      status: 400,
      code: 'unknown_classification',
      field: 'classificationCode',
    });
    expect(
      await failure(
        createResource(store.db, steward, { ...base, items: [{ name: 'x', dataType: 'varchar' }] }),
      ),
    ).toEqual({ status: 400, code: 'unknown_data_type', field: 'items.0.dataType' });
    expect(
      await failure(
        createResource(store.db, steward, { ...base, sharingType: 'not_shared', sharingMethods: [] }),
      ),
    ).toEqual({ status: 400, code: 'legal_basis_required', field: 'legalBasis' });
    const missing = await failure(createResource(store.db, steward, { ...base, name: undefined as never }));
    expect(missing).toMatchObject({ status: 400, code: 'invalid_request' });
    const existing = await buildResource(store.db, org.id);
    expect(await failure(createResource(store.db, steward, { ...base, code: existing.code }))).toEqual({
      status: 400,
      code: 'duplicate_code',
      field: 'code',
    });
    expect(await count()).toBe(before + 1);
  });

  it('accepts data types by letter and Chinese name', async () => {
    const r = await buildResource(store.db, org.id, {
      items: [
        { name: '金额', dataType: 'N' },
        { name: '时间', dataType: '日期时间型' },
        { name: '照片', dataType: 'BLOB' },
      ],
    });
    expect(r.items.map((i) => i.dataType)).toEqual(['number', 'datetime', 'binary']);
  });

  it('publishes as version 1, versions every published change, and keeps old versions readable', async () => {
    const draft = await buildResource(store.db, org.id, { name: '常住人口基本信息' });
    const published = await publishResource(store.db, steward, draft.code);
    expect(published).toMatchObject({ status: 'published', version: 1 });
    expect(published.publishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const changed = await updateResource(store.db, steward, draft.code, { summary: '第二版摘要' });
    expect(changed.version).toBe(2);
    expect((await listVersions(store.db, steward, draft.code)).map((v) => v.version)).toEqual([1, 2]);
    expect((await getVersion(store.db, steward, draft.code, 1)).resource.summary).toBe('用于测试的信息资源');
    expect((await getVersion(store.db, steward, draft.code, 2)).resource.summary).toBe('第二版摘要');
    expect(
      await failure(updateResource(store.db, steward, draft.code, { classificationCode: '102' })),
    ).toMatchObject({
      status: 409,
      code: 'code_immutable',
    });
    expect(await failure(publishResource(store.db, steward, draft.code))).toMatchObject({
      code: 'already_published',
    });
    const retired = await retireResource(store.db, steward, draft.code);
    expect(retired.status).toBe('retired');
    expect(await failure(updateResource(store.db, steward, draft.code, { name: 'x' }))).toMatchObject({
      code: 'resource_retired',
    });
    expect((await getVersion(store.db, steward, draft.code, 2)).resource.status).toBe('published');
  });

  it('moves a draft’s code with its classification', async () => {
    const draft = await buildResource(store.db, org.id);
    const moved = await updateResource(store.db, steward, draft.code, { classificationCode: '102001' });
    expect(moved.code).toMatch(new RegExp(`^102001-${org.creditCode}-\\d{5}$`));
  });

  it('lets only the provider’s stewards manage, and hides drafts and not-shared resources from others', async () => {
    const draft = await buildResource(store.db, org.id);
    const secret = await buildResource(
      store.db,
      org.id,
      { sharingType: 'not_shared', legalBasis: '《中华人民共和国保守国家秘密法》', sharingMethods: [] },
      { publish: true },
    );
    const open = await buildResource(store.db, org.id, { openType: 'unconditional' }, { publish: true });
    const shared = await buildResource(store.db, org.id, {}, { publish: true });
    const outsider = stewardOf(other.id);
    expect(await failure(updateResource(store.db, outsider, shared.code, { name: 'x' }))).toMatchObject({
      status: 404,
    });
    expect(await failure(publishResource(store.db, outsider, draft.code))).toMatchObject({ status: 404 });
    const analyst: Actor = { ...steward, roles: ['analyst'] } as Actor;
    expect(await failure(updateResource(store.db, analyst, shared.code, { name: 'x' }))).toMatchObject({
      status: 403,
    });
    expect(await failure(getResource(store.db, outsider, secret.code))).toMatchObject({ status: 404 });
    expect(await failure(getResource(store.db, outsider, draft.code))).toMatchObject({ status: 404 });
    expect((await getResource(store.db, outsider, shared.code)).code).toBe(shared.code);
    expect(await failure(getResource(store.db, ANONYMOUS, shared.code))).toMatchObject({ status: 404 });
    expect((await getResource(store.db, ANONYMOUS, open.code)).code).toBe(open.code);
    expect((await getResource(store.db, steward, secret.code)).legalBasis).toContain('保守国家秘密法');

    const seen = async (actor: Actor) =>
      (await listResources(store.db, actor, { limit: 200 }, { providerId: org.id })).items.map((r) => r.code);
    expect(await seen(outsider)).not.toContain(secret.code);
    expect(await seen(outsider)).not.toContain(draft.code);
    expect(await seen(outsider)).toContain(shared.code);
    expect(await seen(ANONYMOUS)).toEqual([open.code]);
    expect(await seen(steward)).toEqual(expect.arrayContaining([secret.code, draft.code, shared.code]));
  });

  describe('canSeeResource', () => {
    it('follows the visibility table', () => {
      const facts = {
        providerId: 'p',
        status: 'published',
        sharingType: 'unconditional',
        openType: 'not_open',
      } as const;
      const member: Actor = { kind: 'user', userId: 'u', orgId: 'x', username: 'u', roles: ['analyst'] };
      expect(canSeeResource(member, facts)).toBe(true);
      expect(canSeeResource(member, { ...facts, status: 'draft' })).toBe(false);
      expect(canSeeResource(member, { ...facts, sharingType: 'not_shared' })).toBe(false);
      expect(canSeeResource({ ...member, orgId: 'p' }, { ...facts, sharingType: 'not_shared' })).toBe(true);
      expect(canSeeResource(ANONYMOUS, facts)).toBe(false);
      expect(canSeeResource(ANONYMOUS, { ...facts, openType: 'conditional' })).toBe(true);
    });
  });
});
