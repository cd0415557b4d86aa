import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource, stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { type Actor, ANONYMOUS, type OrganizationView } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { type SearchQuery, searchResources } from './index.js';

describeEachStore('catalog search', (kind) => {
  let store: Store;
  let police: OrganizationView;
  let power: OrganizationView;
  let outsider: Actor;
  const codes: Record<string, string> = {};
  beforeAll(async () => {
    store = await openTestStore(kind);
    police = await buildOrganization(store.db, { name: `福建省公安厅-${kind}`, regionCode: '350000' });
    power = await buildOrganization(store.db, {
      name: `厦门供电公司-${kind}`,
      regionCode: '350200',
      level: 'municipal',
    });
    outsider = stewardOf((await buildOrganization(store.db)).id);
    const add = async (key: string, orgId: string, fields: object, publish = true) => {
      codes[key] = (await buildResource(store.db, orgId, fields, { publish })).code;
    };
    await add('population', police.id, {
      name: '常住人口基本信息',
      tags: ['人口'],
      openType: 'unconditional',
    });
    await add('household', police.id, {
      name: '户籍登记信息',
      summary: '记录人口的户籍迁移，包括迁入迁出',
      classificationCode: '101002',
      updateCycle: 'daily',
    });
    await add('electricity', power.id, {
      name: '企业用电量统计',
      summary: '按月统计辖区企业的用电情况',
      classificationCode: '206',
      format: 'XLSX',
      tags: ['能源'],
    });
    await add('enterprises', power.id, {
      name: '重点企业名录',
      summary: '本地区用电大户名录',
      classificationCode: '102001',
      grade: 'important',
    });
    await add('census', power.id, {
      name: 'Population census 2020',
      summary: 'Seventh national census of population',
      classificationCode: '101001',
    });
    await add('secret', police.id, {
      name: '在逃人员信息',
      summary: '人口相关的在逃人员',
      sharingType: 'not_shared',
      sharingMethods: [],
      legalBasis: '《中华人民共和国刑事诉讼法》',
    });
    await add('draft', police.id, { name: '流动人口信息（草稿）' }, false);
  });
  afterAll(() => store.close());

  const find = async (actor: Actor, query: SearchQuery) =>
    (await searchResources(store.db, actor, { ...query, facets: [] })).items.map((r) => r.code);
  const key = (code: string) => Object.entries(codes).find(([, c]) => c === code)?.[0];
  const keys = async (actor: Actor, query: SearchQuery) => (await find(actor, query)).map(key);

  it('finds 常住人口基本信息 by 人口, names first', async () => {
    const found = await keys(outsider, { q: '人口' });
    expect(found[0]).toBe('population');
    expect(found).toContain('household');
    expect(found).not.toContain('electricity');
  });

  it('finds resources about 企业 and 用电 by 企业用电', async () => {
    const found = await keys(outsider, { q: '企业用电' });
    expect(found).toEqual(['electricity', 'enterprises']);
    expect(await keys(outsider, { q: '用电量' })).toEqual(['electricity']);
  });

  it('searches English words by prefix, case-insensitively', async () => {
    expect(await keys(outsider, { q: 'CENSUS' })).toEqual(['census']);
    expect(await keys(outsider, { q: 'popul' })).toEqual(['census']);
  });

  it('searches items, tags and the provider’s name', async () => {
    expect(await keys(outsider, { q: '出生日期', provider: police.id })).toEqual(
      expect.arrayContaining(['population', 'household']),
    );
    expect(await keys(outsider, { q: '能源' })).toEqual(['electricity']);
    expect(await keys(outsider, { q: '供电公司', sort: 'name' })).toHaveLength(3);
  });

  it('shows not-shared resources and drafts only to their provider, and only open ones anonymously', async () => {
    expect(await keys(outsider, { q: '在逃' })).toEqual([]);
    expect(await keys(stewardOf(police.id), { q: '在逃' })).toEqual(['secret']);
    expect(await keys(stewardOf(police.id), { q: '流动人口', status: 'draft' })).toEqual(['draft']);
    expect(await keys(outsider, { q: '流动人口', status: 'draft' })).toEqual([]);
    expect(await keys(ANONYMOUS, { q: '人口' })).toEqual(['population']);
  });

  it('tells a visitor how many shared resources match for members, never which', async () => {
    const visitor = await searchResources(store.db, ANONYMOUS, { q: '人口', facets: [] });
    expect(visitor.items.map((r) => key(r.code))).toEqual(['population']);
    // 户籍登记信息 and the census (shared, not open); not 在逃人员信息 (不予共享) nor the draft.
    expect(visitor.membersOnly).toBe(2);
    expect(JSON.stringify(visitor)).not.toContain('户籍');
    expect((await searchResources(store.db, ANONYMOUS, { q: '用电', facets: [] })).membersOnly).toBe(2);
    expect(
      (await searchResources(store.db, outsider, { q: '人口', facets: [] })).membersOnly,
    ).toBeUndefined();
    expect((await searchResources(store.db, ANONYMOUS, { facets: [] })).membersOnly).toBeUndefined();
  });

  it('filters on each facet and counts the facets of the matches', async () => {
    expect(await keys(outsider, { grade: 'important' })).toEqual(['enterprises']);
    expect(await keys(outsider, { format: 'XLSX', updateCycle: 'monthly' })).toEqual(['electricity']);
    // The census matches 人口 through its classification's name (人口基本信息).
    expect((await keys(outsider, { classification: '101', q: '人口' })).sort()).toEqual([
      'census',
      'household',
      'population',
    ]);
    expect(await keys(outsider, { classification: '101002' })).toEqual(['household']);
    expect(await keys(outsider, { region: '3502', q: '企业' })).toEqual(['electricity', 'enterprises']);
    expect(await keys(outsider, { level: 'provincial', updateCycle: 'daily' })).toEqual(['household']);
    expect(await keys(outsider, { tag: '人口', openType: 'unconditional' })).toEqual(['population']);
    const { count, facets } = await searchResources(store.db, outsider, { q: '企业', provider: power.id });
    expect(count).toBe(2);
    expect(facets.provider).toEqual([{ value: power.id, label: power.name, count: 2 }]);
    expect(facets.grade).toEqual([
      { value: 'general', label: '一般数据', count: 1 },
      { value: 'important', label: '重要数据', count: 1 },
    ]);
    expect(facets.classification?.map((b) => b.label).sort()).toEqual(['法人单位基本信息', '能源安全']);
    expect(facets.region).toEqual([{ value: '350200', label: expect.stringContaining('厦门'), count: 2 }]);
    expect(facets.tag).toEqual([{ value: '能源', label: '能源', count: 1 }]);
    expect(facets.sharingType).toEqual([{ value: 'unconditional', label: '无条件共享', count: 2 }]);
  });

  it('pages with limit and offset', async () => {
    const all = await find(outsider, { sort: 'name', limit: 100 });
    const second = await find(outsider, { sort: 'name', limit: 2, offset: 2 });
    expect(second).toEqual(all.slice(2, 4));
  });
});
