import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource, stewardOf } from '../../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../../test/support/store.js';
import type { AppError } from '../../errors/index.js';
import type { Actor } from '../../identity/index.js';
import type { Store } from '../../store/index.js';
import { importCatalog, listResources } from '../index.js';

const SAMPLE = new URL('../../../docs/samples/catalog-import.csv', import.meta.url);

type Row = Record<string, string | number>;

/** An XLSX in the catalog offices' layout: a 信息资源 sheet and a 信息项 sheet. */
async function workbook(resources: Row[], items: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of [
    ['信息资源', resources],
    ['信息项', items],
  ] as const) {
    const sheet = book.addWorksheet(name);
    const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    sheet.addRow(headers);
    for (const row of rows) sheet.addRow(headers.map((h) => row[h] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const good = (key: number, name: string): Row => ({
  序号: key,
  信息资源名称: name,
  信息资源分类: '101001',
  信息资源摘要: `${name}的摘要`,
  信息资源格式: 'CSV',
  共享类型: '无条件共享',
  共享方式: '接口；文件',
  更新周期: '每月',
  数据分级: '一般数据',
  数据级别: '2',
  标签: '人口、户籍',
});

describeEachStore('catalog import', (kind) => {
  let store: Store;
  let steward: Actor;
  let existing: string;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const org = await buildOrganization(store.db);
    steward = stewardOf(org.id);
    existing = (await buildResource(store.db, org.id)).code;
  });
  afterAll(() => store.close());

  const count = async () => (await listResources(store.db, steward, { limit: 200 })).items.length;
  const sheet = () =>
    workbook(
      [
        good(1, '户籍人口'),
        { ...good(2, '坏分类'), 信息资源分类: '999' },
        { ...good(3, '坏类型') },
        { ...good(4, '没有依据'), 共享类型: '不予共享', 共享方式: '' },
        { ...good(5, '重复代码'), 信息资源代码: existing },
        { ...good(6, ''), 信息资源名称: '' },
        good(7, '流动人口'),
      ],
      [
        {
          序号: 1,
          信息项名称: '姓名',
          字段名: 'name',
          数据类型: '字符型',
          是否个人信息: '是',
          个人信息类别: '个人基本资料',
        },
        { 序号: 1, 信息项名称: '出生日期', 数据类型: 'D' },
        { 序号: 3, 信息项名称: '照片', 数据类型: 'JPEG' },
        { 序号: 7, 信息项名称: '居住地址', 数据类型: 'C', 长度: 200 },
        { 序号: 99, 信息项名称: '孤儿', 数据类型: 'C' },
      ],
    );

  it('imports valid rows in one transaction and reports each rejected row with its reason', async () => {
    const before = await count();
    const progress: number[] = [];
    const report = await importCatalog(store.db, steward, await sheet(), {
      onProgress: (done) => progress.push(done),
    });
    expect(report.committed).toBe(true);
    expect(report.imported.map((r) => r.name)).toEqual(['户籍人口', '流动人口']);
    expect(report.rejected.map((r) => [r.sheet, r.row, r.code, r.field])).toEqual([
      ['items', 6, 'unknown_resource_key', '序号'],
      ['resources', 3, 'unknown_classification', 'classificationCode'],
      ['resources', 4, 'unknown_data_type', 'items.0.dataType'],
      ['resources', 5, 'legal_basis_required', 'legalBasis'],
      ['resources', 6, 'duplicate_code', 'code'],
      ['resources', 7, 'invalid_request', 'name'],
    ]);
    expect(progress.at(-1)).toBe(14);
    expect(await count()).toBe(before + 2);
    const [first] = (await listResources(store.db, steward, { limit: 200 })).items.filter(
      (r) => r.name === '户籍人口',
    );
    expect(first?.items.map((i) => [i.name, i.dataType, i.personalKind])).toEqual([
      ['姓名', 'string', 'basic'],
      ['出生日期', 'date', null],
    ]);
    expect(first).toMatchObject({
      sharingMethods: ['api', 'file'],
      gradeLevel: 2,
      tags: ['人口', '户籍'],
      status: 'draft',
    });
  });

  it('writes nothing in all-or-nothing mode when a row is rejected, and everything when none is', async () => {
    const before = await count();
    const report = await importCatalog(store.db, steward, await sheet(), { mode: 'all-or-nothing' });
    expect(report).toMatchObject({ committed: false, imported: [] });
    expect(report.rejected).toHaveLength(6);
    expect(await count()).toBe(before);
    const clean = await workbook(
      [good(1, '甲'), good(2, '乙')],
      [{ 序号: 2, 信息项名称: 'x', 数据类型: 'N' }],
    );
    const ok = await importCatalog(store.db, steward, clean, { mode: 'all-or-nothing', publish: true });
    expect(ok.imported).toHaveLength(2);
    expect(await count()).toBe(before + 2);
  });

  it('reads the committed CSV sample (items in one column)', async () => {
    const report = await importCatalog(store.db, steward, readFileSync(SAMPLE), { publish: true });
    expect(report.rejected).toEqual([]);
    expect(report.imported.map((r) => r.name)).toEqual([
      '常住人口基本信息',
      '企业用电量统计',
      '在逃人员信息',
    ]);
    const resources = (await listResources(store.db, steward, { limit: 200, cursor: undefined })).items;
    const population = resources.find((r) => r.name === '常住人口基本信息')!;
    expect(population).toMatchObject({
      sharingType: 'conditional',
      sharingMethods: ['api', 'verification'],
      updateCycle: 'daily',
    });
    expect(population.items.map((i) => i.dataType)).toEqual(['string', 'string', 'date']);
  });

  it('refuses a malformed workbook with a 400 naming the file', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip')]);
    const error = await importCatalog(store.db, steward, broken).catch((e: AppError) => e);
    expect(error).toMatchObject({ status: 400, code: 'malformed_xlsx', details: { field: 'file' } });
  });
});
