import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOrganization, buildResource, stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { AppError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { exportDataPackage, importDataPackage, listResources, type ResourceView } from './index.js';

const BASE = 'https://data.example.gov.cn';

describeEachStore('Frictionless Data Package', (kind) => {
  let store: Store;
  let steward: Actor;
  let source: ResourceView;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const org = await buildOrganization(store.db);
    steward = stewardOf(org.id);
    source = await buildResource(
      store.db,
      org.id,
      {
        name: '企业用电量统计',
        sharingType: 'conditional',
        sharingConditions: '用于节能监管',
        sharingMethods: ['api', 'file'],
        tags: ['能源'],
        keywords: ['用电'],
        grade: 'general',
        gradeLevel: 2,
        items: [
          { name: '统一社会信用代码', field: 'credit_code', dataType: 'C', length: 18 },
          { name: '用电量', field: 'kwh', dataType: 'N', description: '千瓦时' },
          { name: '统计月份', field: 'month', dataType: 'D' },
          { name: '抄表时间', field: 'read_at', dataType: 'T' },
          { name: '是否重点用能单位', field: 'key_user', dataType: 'B' },
          { name: '电子签章', field: 'seal', dataType: 'BLOB' },
          {
            name: '联系人手机',
            field: 'mobile',
            dataType: 'C',
            personal: true,
            personalKind: 'basic',
            grade: 'important',
          },
        ],
      },
      { publish: true },
    );
  });
  afterAll(() => store.close());

  it('exports a valid descriptor with Table Schema types', async () => {
    const pkg = await exportDataPackage(store.db, steward, source.code, BASE);
    expect(pkg.resources[0]!.name).toMatch(/^[-a-z0-9._/]+$/);
    expect(pkg.resources[0]!.path).toMatch(/^https:\/\//);
    expect(pkg.resources[0]!.schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['credit_code', 'string'],
      ['kwh', 'number'],
      ['month', 'date'],
      ['read_at', 'datetime'],
      ['key_user', 'boolean'],
      ['seal', 'string'],
      ['mobile', 'string'],
    ]);
    expect(pkg.resources[0]!.schema.fields[0]).toMatchObject({
      title: '统一社会信用代码',
      constraints: { maxLength: 18 },
    });
    expect(pkg.resources[0]!.schema.fields[5]).toMatchObject({ format: 'binary' });
  });

  it('round-trips: importing the export makes a draft with the same items and catalog facts', async () => {
    const pkg = JSON.parse(JSON.stringify(await exportDataPackage(store.db, steward, source.code, BASE)));
    const copy = await importDataPackage(store.db, steward, pkg);
    expect(copy.status).toBe('draft');
    expect(copy.code).not.toBe(source.code);
    const comparable = (r: ResourceView) => ({
      name: r.name,
      summary: r.summary,
      format: r.format,
      items: r.items,
      classification: r.classification,
      sharingType: r.sharingType,
      sharingConditions: r.sharingConditions,
      sharingMethods: r.sharingMethods,
      openType: r.openType,
      updateCycle: r.updateCycle,
      grade: r.grade,
      gradeLevel: r.gradeLevel,
      tags: r.tags,
      keywords: r.keywords,
      contact: r.contact,
      licence: r.licence,
    });
    expect(comparable(copy)).toEqual(comparable(source));
  });

  it('imports a foreign package with overrides, and refuses unknown types writing nothing', async () => {
    const foreign = {
      name: 'air-quality',
      title: 'Air quality',
      resources: [
        {
          name: 'readings',
          description: 'Hourly NO2 readings',
          format: 'csv',
          schema: {
            fields: [
              { name: 'station', type: 'string' },
              { name: 'no2', type: 'integer' },
              { name: 'at', type: 'datetime' },
            ],
          },
        },
      ],
    };
    const overrides = {
      classificationCode: '210',
      sharingType: 'unconditional',
      sharingMethods: ['file'],
      updateCycle: 'daily',
    };
    const created = await importDataPackage(store.db, steward, foreign, overrides);
    expect(created.items.map((i) => [i.name, i.dataType])).toEqual([
      ['station', 'string'],
      ['no2', 'number'],
      ['at', 'datetime'],
    ]);
    const before = (await listResources(store.db, steward, { limit: 200 })).items.length;
    const bad = structuredClone(foreign);
    bad.resources[0]!.schema.fields[1]!.type = 'decimal128';
    const error = await importDataPackage(store.db, steward, bad, overrides).catch((e: AppError) => e);
    expect(error).toMatchObject({
      status: 400,
      code: 'unknown_data_type',
      details: { field: 'descriptor.resources.0.schema.fields.1.type' },
    });
    const missing = await importDataPackage(store.db, steward, foreign, {
      sharingType: 'unconditional',
    }).catch((e: AppError) => e);
    expect(missing).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((await listResources(store.db, steward, { limit: 200 })).items.length).toBe(before);
  });
});
