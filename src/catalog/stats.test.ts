import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource, stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { ANONYMOUS, type OrganizationView } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { catalogStats } from './index.js';

describeEachStore('catalog statistics', (kind) => {
  let store: Store;
  let a: OrganizationView;
  let b: OrganizationView;
  beforeAll(async () => {
    store = await openTestStore(kind);
    a = await buildOrganization(store.db);
    b = await buildOrganization(store.db);
    await buildResource(
      store.db,
      a.id,
      { openType: 'unconditional', updateCycle: 'daily' },
      { publish: true },
    );
    await buildResource(store.db, a.id, { grade: 'important' }, { publish: true });
    await buildResource(
      store.db,
      b.id,
      { sharingType: 'conditional', sharingConditions: '审批' },
      { publish: true },
    );
    await buildResource(
      store.db,
      b.id,
      { sharingType: 'not_shared', legalBasis: '法律', sharingMethods: [] },
      { publish: true },
    );
    await buildResource(store.db, b.id, {}); // a draft: never counted
  });
  afterAll(() => store.close());

  it('counts what each caller may see, by every dimension', async () => {
    const stats = await catalogStats(store.db, stewardOf(a.id));
    expect(stats.total).toBe(3);
    expect(stats.byProvider).toEqual([
      { key: a.id, label: a.name, count: 2 },
      { key: b.id, label: b.name, count: 1 },
    ]);
    expect(stats.bySharingType).toEqual([
      { key: 'unconditional', label: '无条件共享', count: 2 },
      { key: 'conditional', label: '有条件共享', count: 1 },
    ]);
    expect(stats.byGrade).toEqual([
      { key: 'general', label: '一般数据', count: 2 },
      { key: 'important', label: '重要数据', count: 1 },
    ]);
    expect(stats.byUpdateCycle.find((s) => s.key === 'daily')).toEqual({
      key: 'daily',
      label: '每日',
      count: 1,
    });
    expect(stats.byOpenType.reduce((n, s) => n + s.count, 0)).toBe(3);
    expect(stats.byMonth).toEqual([
      { key: expect.stringMatching(/^\d{4}-\d{2}$/), label: expect.any(String), count: 3 },
    ]);
    expect((await catalogStats(store.db, stewardOf(b.id))).total).toBe(4);
    expect((await catalogStats(store.db, ANONYMOUS)).total).toBe(1);
  });
});
