import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization } from '../../test/support/factories.js';
import { openTestStore } from '../../test/support/store.js';
import type { AppError } from '../errors/index.js';
import type { Store } from '../store/index.js';
import { importFile } from './import-file.js';
import { createSourceRuntime, type SourceRuntime } from './runtime.js';
import { openSourceConnector } from './sources.js';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: AppError) => ({ status: error.status, code: error.code, details: error.details }),
  );

/** A CSV of `rows` rows, made lazily in 64 KiB-ish pieces, so the test holds no big buffer either. */
function bigCsv(rows: number, encode: (s: string) => Buffer): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i === 0) this.push(encode('编号,姓名,地址\n'));
      if (i >= rows) return void this.push(null);
      let chunk = '';
      for (const end = Math.min(rows, i + 1000); i < end; i++)
        chunk += `${i},测试人员${i},福建省福州市鼓楼区${i}号\n`;
      this.push(encode(chunk));
    },
  });
}

describe('importFile', () => {
  let store: Store;
  let dir: string;
  let runtime: SourceRuntime;
  let orgId: string;
  const base = { name: '', format: 'csv' as const, encoding: 'auto' as const, header: true };

  beforeAll(async () => {
    store = await openTestStore('pglite');
    dir = await mkdtemp(join(tmpdir(), 'huitong-import-'));
    runtime = createSourceRuntime({ dataDir: dir, uploadLimit: 8 * 1024 * 1024 });
    orgId = (await buildOrganization(store.db)).id;
  });
  afterAll(async () => {
    await runtime.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a multi-megabyte GBK file, decoding characters split across chunks', async () => {
    const imported = await importFile(
      store.db,
      runtime,
      bigCsv(60_000, (s) => iconv.encode(s, 'gbk')),
      {
        ...base,
        orgId,
        name: 'big-gbk',
      },
    );
    expect(imported.rowCount).toBe(60_000);
    expect(imported.source.connection).toMatchObject({ encoding: 'gb18030', delimiter: ',' });
    const connector = await openSourceConnector(store.db, runtime, imported.source.id);
    const result = await connector.read({
      from: { kind: 'table', table: 'data' },
      columns: ['姓名', '地址'],
      filters: [{ column: '编号', op: 'eq', value: 59_999 }],
    });
    const rows: unknown[][] = [];
    for await (const batch of result.batches) rows.push(...batch);
    expect(rows).toEqual([['测试人员59999', '福建省福州市鼓楼区59999号']]);
  });

  it('refuses an upload over the limit with 413 and keeps nothing', async () => {
    const result = await failure(
      importFile(
        store.db,
        runtime,
        bigCsv(200_000, (s) => Buffer.from(s)),
        { ...base, orgId, name: 'too-big' },
      ),
    );
    expect(result).toMatchObject({ status: 413, code: 'file_too_large' });
    expect((await readdir(runtime.filesDir)).filter((f) => f.startsWith('.staging'))).toEqual([]);
    const rows = await store.db.selectFrom('sources').select('name').where('name', '=', 'too-big').execute();
    expect(rows).toEqual([]);
  });

  it('reads semicolon- and tab-separated files, and files without a header', async () => {
    const semi = await importFile(store.db, runtime, Readable.from(['a;b\n1;"x;y"\n']), {
      ...base,
      orgId,
      name: 'semi',
    });
    expect(semi.columns.map((c) => c.name)).toEqual(['a', 'b']);
    const tab = await importFile(store.db, runtime, Readable.from(['1\tx\n2\ty\n']), {
      ...base,
      orgId,
      name: 'tab',
      header: false,
    });
    expect(tab.rowCount).toBe(2);
    expect(tab.columns).toHaveLength(2);
  });

  it('reads identifiers made of digits as text: division codes, leading zeros, mobiles, ID numbers', async () => {
    const csv = [
      'qh,code,zip,mobile,sfzh,rk,amount,year',
      '350102,350100,0591,13800138000,350102198001011234,687000,820.5,2024',
      '350103,350200,0592,13912345678,350103197903033333,446000,760,2023',
      '350104,350300,0593,15000000001,350104198806065555,987000,900,2024',
    ].join('\n');
    const imported = await importFile(store.db, runtime, Readable.from([csv]), {
      ...base,
      orgId,
      name: 'codes',
    });
    const types = Object.fromEntries(imported.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      qh: 'string',
      code: 'string',
      zip: 'string',
      mobile: 'string',
      sfzh: 'string',
      rk: 'integer',
      amount: expect.stringMatching(/number|decimal/),
      year: 'integer',
    });
  });

  it('refuses an XLSX row with values beyond the header, and a missing sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['a', 'b']);
    sheet.addRow([1, 2]);
    sheet.addRow([3, 4, 5]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const xlsx = { ...base, orgId, format: 'xlsx' as const };
    expect(
      await failure(importFile(store.db, runtime, Readable.from([bytes]), { ...xlsx, name: 'wide' })),
    ).toMatchObject({
      code: 'malformed_file',
      details: { line: 3 },
    });
    expect(
      await failure(
        importFile(store.db, runtime, Readable.from([bytes]), { ...xlsx, name: 'nosheet', sheet: '别的' }),
      ),
    ).toMatchObject({ code: 'malformed_file' });
  });

  it('refuses bytes that are no known encoding when asked to detect', async () => {
    const noise = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    const result = await failure(
      importFile(store.db, runtime, Readable.from([noise]), { ...base, orgId, name: 'noise' }),
    );
    expect(result.status).toBe(400);
    expect(['invalid_encoding', 'malformed_file']).toContain(result.code);
  });
});
