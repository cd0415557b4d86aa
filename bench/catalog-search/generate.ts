import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { SearchQuery } from '../../src/catalog/index.js';
import { DATA_TYPE_NAMES } from '../../src/catalog/index.js';
// The search document is built exactly as the catalog builds it, so the index is realistic.
import { searchDocument } from '../../src/catalog/search-document.js';
import type { Store } from '../../src/store/index.js';

const SUBJECTS = [
  '人口',
  '户籍',
  '企业',
  '用电',
  '社保',
  '医疗',
  '教育',
  '交通',
  '环境',
  '税务',
  '住房',
  '公积金',
  '婚姻',
  '出生',
  '车辆',
  '驾驶证',
  '营业执照',
  '信用',
  '气象',
  '水质',
  '空气',
  '土地',
  '建筑',
  '许可',
  '处罚',
  '补贴',
  '就业',
  '养老',
  '低保',
  '疫苗',
];
const KINDS = [
  '基本信息',
  '登记信息',
  '统计',
  '名录',
  '明细',
  '台账',
  '监测数据',
  '审批结果',
  '缴纳记录',
  '变更记录',
];
const REGIONS: Array<[string, string]> = [
  ['350000', '福建省'],
  ['350100', '福州市'],
  ['350200', '厦门市'],
  ['350300', '莆田市'],
  ['350500', '泉州市'],
  ['350600', '漳州市'],
  ['110000', '北京市'],
  ['310000', '上海市'],
];
const DEPARTMENTS = [
  '公安厅',
  '市场监管局',
  '人社局',
  '卫健委',
  '教育厅',
  '交通运输厅',
  '生态环境厅',
  '税务局',
  '住建厅',
  '供电公司',
];
const SHARING = ['unconditional', 'conditional', 'not_shared'] as const;
const CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
] as const;
const GRADES = ['general', 'general', 'general', 'important', 'core'] as const;
const CLASSES = [
  '101001',
  '101002',
  '102001',
  '103001',
  '104001',
  '105001',
  '201',
  '202',
  '206',
  '210',
  '301',
  '309',
];

/** A deterministic pseudo-random sequence, so that runs compare. */
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/**
 * Inserts organisations (each department in each of `regions`) and `count` published resources in
 * batches; returns the organisation ids.
 */
export async function generate(
  store: Store,
  count: number,
  regions: ReadonlyArray<readonly [string, string]> = REGIONS,
): Promise<string[]> {
  const orgs = regions.flatMap(([code, region]) =>
    DEPARTMENTS.map((d) => ({ id: randomUUID(), name: `${region}${d}`, region: code })),
  );
  await store.db
    .insertInto('organizations')
    .values(
      orgs.map((o) => ({
        id: o.id,
        name: o.name,
        kind: 'department',
        level: 'provincial',
        region_code: o.region,
        created_at: new Date(),
        updated_at: new Date(),
      })),
    )
    .execute();
  const classNames = new Map(
    (await store.db.selectFrom('classifications').select(['code', 'name']).execute()).map((c) => [
      c.code,
      c.name,
    ]),
  );
  const BATCH = 1000;
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const org = pick(orgs);
      const subject = pick(SUBJECTS);
      const other = pick(SUBJECTS);
      const name = `${org.name.slice(0, 3)}${subject}${pick(KINDS)}`;
      const summary = `记录${org.name}辖区${subject}与${other}相关的${pick(KINDS)}，按${pick(['月', '季度', '年'])}汇总`;
      const items = Array.from({ length: 4 }, (_, k) => ({
        name: `${pick(SUBJECTS)}字段${k}`,
        field: null,
        dataType: pick(DATA_TYPE_NAMES),
        length: null,
        description: '',
        personal: false,
        personalKind: null,
        grade: null,
      }));
      const classification = pick(CLASSES);
      const sharing = rand() < 0.1 ? 'not_shared' : pick(SHARING.slice(0, 2));
      const published = new Date(
        Date.UTC(2020 + Math.floor(rand() * 5), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
      );
      rows.push({
        id: randomUUID(),
        code: `${classification}-${org.region}${String(orgs.indexOf(org)).padStart(3, '0')}-${String(i).padStart(6, '0')}`,
        name,
        classification_code: classification,
        provider_id: org.id,
        provider_name: org.name,
        provider_code: `${org.region}${String(orgs.indexOf(org)).padStart(3, '0')}`,
        provider_region: org.region,
        provider_level: 'provincial',
        summary,
        format: pick(['CSV', 'XLSX', 'JSON', '数据库']),
        items: JSON.stringify(items),
        sharing_type: sharing,
        sharing_conditions: sharing === 'conditional' ? '审批' : '',
        sharing_methods: sharing === 'not_shared' ? [] : ['api'],
        legal_basis: sharing === 'not_shared' ? '法律规定' : '',
        open_type: sharing === 'not_shared' ? 'not_open' : pick(['unconditional', 'not_open', 'not_open']),
        open_conditions: '',
        update_cycle: pick(CYCLES),
        publish_date: published.toISOString().slice(0, 10),
        related_codes: [],
        grade: pick(GRADES),
        grade_level: null,
        tags: [subject],
        keywords: [other],
        contact: JSON.stringify({ name: '', phone: '', email: '' }),
        licence: '',
        status: 'published',
        version: 1,
        search_doc: searchDocument({
          name,
          tags: [subject],
          keywords: [other],
          summary,
          classificationName: classNames.get(classification) ?? '',
          items,
          providerName: org.name,
        }),
        created_by: null,
        created_at: published,
        updated_at: published,
        published_at: published,
        retired_at: null,
      });
    }
    await store.db.insertInto('resources').values(rows).execute();
  }
  await sql`analyze resources`.execute(store.db);
  return orgs.map((o) => o.id);
}

/** The i-th query: a keyword (one or two words) and two facet filters, varied. */
export function QUERIES(i: number): SearchQuery {
  const q = i % 3 === 0 ? `${pick(SUBJECTS)}${pick(SUBJECTS)}` : pick(SUBJECTS);
  const first = i % 2 === 0 ? { sharingType: pick(SHARING.slice(0, 2)) } : { grade: pick(GRADES) };
  const second = i % 4 < 2 ? { updateCycle: pick(CYCLES) } : { region: pick(REGIONS)[0].slice(0, 4) };
  return { q, ...first, ...second, limit: 20 } as SearchQuery;
}
