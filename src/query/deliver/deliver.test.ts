import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { RowStream } from '../row-stream.js';
import { toArrow } from './arrow.js';
import { toCsv } from './csv.js';
import { toNdjson } from './ndjson.js';
import { toXlsx } from './xlsx.js';

function sample(batches = 3, perBatch = 2): RowStream {
  return {
    columns: [
      { name: 'id', type: 'integer' },
      { name: '姓名', type: 'string' },
      { name: 'score', type: 'number' },
      { name: 'born', type: 'date' },
    ],
    batches: (async function* () {
      for (let b = 0; b < batches; b++) {
        yield Array.from({ length: perBatch }, (_, i) => [
          BigInt(b * perBatch + i),
          i === 0 ? '张*, "引号"' : null,
          1.5,
          new Date(Date.UTC(1990, 0, 2)),
        ]);
      }
    })(),
  };
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('delivery formats', () => {
  it('writes CSV with quoting and an optional BOM for Excel', async () => {
    const plain = (await collect(toCsv(sample(1, 2)))).toString('utf8');
    expect(plain.split('\r\n')[0]).toBe('id,姓名,score,born');
    expect(plain).toContain('0,"张*, ""引号""",1.5,1990-01-02T00:00:00.000Z');
    expect(plain.split('\r\n')[2]).toBe('1,,1.5,1990-01-02T00:00:00.000Z');
    const bom = await collect(toCsv(sample(1, 1), { bom: true }));
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('heads a file with field names, item names or both, as asked', async () => {
    const labelled = (): RowStream => ({
      columns: [
        { name: 'xm', type: 'string', label: '姓名' },
        { name: 'n', type: 'integer' },
      ],
      batches: (async function* () {
        yield [['张三', 1]];
      })(),
    });
    const head = async (header?: 'name' | 'field' | 'both') =>
      (await collect(toCsv(labelled(), { header }))).toString('utf8').split('\r\n').slice(0, -2);
    expect(await head()).toEqual(['xm,n']);
    expect(await head('name')).toEqual(['姓名,n']);
    expect(await head('both')).toEqual(['姓名,n', 'xm,n']);
    // A result without item names (SQL) has one header row even when both are asked for.
    const sql = (await collect(toCsv(sample(1, 1), { header: 'both' }))).toString('utf8');
    expect(sql.split('\r\n')[1]).toMatch(/^0,/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await collect(toXlsx(labelled()))) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('data')!;
    expect([sheet.getRow(1).values, sheet.getRow(2).values, sheet.getRow(3).values]).toEqual([
      [undefined, '姓名', 'n'],
      [undefined, 'xm', 'n'],
      [undefined, '张三', 1],
    ]);
  });

  it('writes NDJSON, one object per row', async () => {
    const lines = (await collect(toNdjson(sample()))).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[5]!)).toEqual({
      id: 5,
      姓名: null,
      score: 1.5,
      born: '1990-01-02T00:00:00.000Z',
    });
  });

  it('writes an XLSX workbook that Excel readers open', async () => {
    const bytes = await collect(toXlsx(sample()));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('data')!;
    expect(sheet.rowCount).toBe(7);
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', '姓名', 'score', 'born']);
    expect(sheet.getRow(2).getCell(2).value).toBe('张*, "引号"');
  });

  it('writes an Arrow IPC stream that Arrow readers open', async () => {
    const bytes = await collect(toArrow(sample()));
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(6);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', '姓名', 'score', 'born']);
    expect(table.getChild('id')!.get(5)).toBe(5n);
    const empty = tableFromIPC(await collect(toArrow(sample(0))));
    expect(empty.numRows).toBe(0);
  });
});
