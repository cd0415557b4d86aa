import fs, { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { xlsxToCsv } from './xlsx-to-csv.js';

/** A workbook as exceljs writes it: its sheets stored before the shared strings. */
async function workbookFile(dir: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('户籍').addRows([
    ['姓名', '年龄'],
    ['张三', 30],
  ]);
  workbook.addWorksheet('低保').addRows([
    ['区划', '金额'],
    ['350102', 812.5],
  ]);
  const path = join(dir, 'book.xlsx');
  await writeFile(path, Buffer.from(await workbook.xlsx.writeBuffer()));
  return path;
}

describe('xlsxToCsv', () => {
  let dir: string;
  const realOpen = fs.open;
  const uncaught: Error[] = [];
  const record = (error: Error) => uncaught.push(error);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huitong-xlsx-'));
    uncaught.length = 0;
    process.on('uncaughtException', record);
  });
  afterEach(async () => {
    fs.open = realOpen;
    process.off('uncaughtException', record);
    await rm(dir, { recursive: true, force: true });
  });

  // exceljs parks each sheet in a temporary file until the shared strings are read, opens it
  // lazily and deletes it once the caller moves on. A slow open (a busy thread pool in CI) lost
  // that race for a skipped sheet, and the ENOENT was thrown where nothing could catch it.
  it('skips the sheets it does not convert without an error escaping, however slow the disk', async () => {
    const book = await workbookFile(dir);
    const open = realOpen as (...a: unknown[]) => void;
    fs.open = ((...args: unknown[]) => {
      const [path, flags] = args;
      const parked = typeof path === 'string' && path.startsWith(join(tmpdir(), 'tmp-'));
      if (parked && flags === 'r') setTimeout(() => open(...args), 50);
      else open(...args);
    }) as typeof fs.open;

    await xlsxToCsv(book, join(dir, 'second.csv'), '低保');
    await xlsxToCsv(book, join(dir, 'first.csv'));
    await new Promise((resolve) => setTimeout(resolve, 200)); // any late open has failed by now

    expect(uncaught).toEqual([]);
    expect(await readFile(join(dir, 'second.csv'), 'utf8')).toBe('区划,金额\n350102,812.5\n');
    expect(await readFile(join(dir, 'first.csv'), 'utf8')).toBe('姓名,年龄\n张三,30\n');
  });

  // A server refuses malformed workbooks all day: each refusal used to leave the parked files of
  // the refused sheet and of every sheet after it in the temporary folder until the process ended.
  it('leaves no temporary file behind when it refuses a row beyond the header', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('宽行').addRows([
      ['a', 'b'],
      [1, 2],
      [3, 4, 5],
    ]);
    workbook.addWorksheet('其后').addRows([['x'], [1]]);
    const book = join(dir, 'wide.xlsx');
    await writeFile(book, Buffer.from(await workbook.xlsx.writeBuffer()));
    const parked = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`));
    const before = parked();

    for (let i = 0; i < 3; i++)
      await expect(xlsxToCsv(book, join(dir, 'wide.csv'))).rejects.toMatchObject({
        code: 'malformed_file',
        details: { line: 3 },
      });
    await new Promise((resolve) => setTimeout(resolve, 200)); // exceljs removes them asynchronously

    expect(parked().filter((f) => !before.includes(f))).toEqual([]);
  });
});
