import chardet from 'chardet';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BadRequestError } from '../../errors/index.js';

/** One data row of a sheet: its row number as people see it, and its cells by header. */
export interface SheetRow {
  row: number;
  values: Record<string, string>;
}

/** What an import file holds: the resources sheet and, in a workbook, the items sheet. */
export interface ImportSheets {
  resources: SheetRow[];
  items: SheetRow[];
}

/** The file kinds the import reads. */
export type ImportFormat = 'xlsx' | 'csv';

const RESOURCE_SHEETS = ['信息资源', '资源', 'resources'];
const ITEM_SHEETS = ['信息项', 'items'];

/** Tells an XLSX (a ZIP) from a CSV by its first bytes. */
export function detectFormat(file: Buffer): ImportFormat {
  return file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : 'csv';
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

function readWorksheet(sheet: ExcelJS.Worksheet | undefined): SheetRow[] {
  if (!sheet) return [];
  const headers: string[] = [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells = (row.values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v).trim());
    if (headers.length === 0) {
      headers.push(...cells);
      return;
    }
    if (cells.every((c) => c === '')) return;
    rows.push({ row: number, values: Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])) });
  });
  return rows;
}

async function readXlsx(file: Buffer): Promise<ImportSheets> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  } catch {
    throw new BadRequestError('malformed_xlsx', 'The file is not a readable XLSX workbook', {
      field: 'file',
    });
  }
  const find = (names: string[]) => workbook.worksheets.find((s) => names.includes(s.name.trim()));
  const resources = find(RESOURCE_SHEETS) ?? workbook.worksheets[0];
  if (!resources) throw new BadRequestError('malformed_xlsx', 'The workbook has no sheet', { field: 'file' });
  const items = find(ITEM_SHEETS) ?? workbook.worksheets.find((s) => s !== resources);
  return { resources: readWorksheet(resources), items: readWorksheet(items) };
}

function readCsv(file: Buffer): ImportSheets {
  // Catalog offices' spreadsheets are often saved as GBK/GB18030 CSV: decode by what it looks like.
  const detected = chardet.detect(file) ?? 'UTF-8';
  const encoding = /^(GB|Big5|EUC|Shift)/i.test(detected) ? 'gb18030' : 'utf8';
  const text = iconv.decode(file, encoding).replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch {
    throw new BadRequestError('malformed_csv', 'The file is not readable CSV', { field: 'file' });
  }
  const [headers = [], ...rows] = records;
  return {
    resources: rows.map((cells, i) => ({
      row: i + 2,
      values: Object.fromEntries(headers.map((h, j) => [h, cells[j] ?? ''])),
    })),
    items: [],
  };
}

/** Reads an import file; a file that cannot be read at all is a 400 naming `file`. */
export async function readSheets(file: Buffer, format = detectFormat(file)): Promise<ImportSheets> {
  if (file.length === 0) throw new BadRequestError('empty_file', 'The file is empty', { field: 'file' });
  return format === 'xlsx' ? readXlsx(file) : readCsv(file);
}
