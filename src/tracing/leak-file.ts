import chardet from 'chardet';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError, BadRequestError } from '../errors/index.js';

/** The largest leaked file a trace reads (64 MiB): beyond it the upload is refused as it streams. */
export const MAX_LEAK_BYTES = 64 * 1024 * 1024;

/** A leaked file as a table: its header candidates per column, and its data rows. */
export interface LeakTable {
  format: 'csv' | 'xlsx' | 'json';
  encoding: string;
  /** For each column, the names its header rows give it (an item's name, its field, or both). */
  headers: string[][];
  rows: unknown[][];
}

/** Reads a stream up to `max` bytes, refusing (413) as soon as it passes them. */
export async function readBounded(
  body: AsyncIterable<Buffer | string>,
  max = MAX_LEAK_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > max) throw new AppError(413, 'file_too_large', `A leaked file may be at most ${max} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The text of a file: UTF-8 when it is valid UTF-8, else as detected (GBK/GB18030 for Chinese). */
export function decodeText(file: Buffer): { text: string; encoding: string } {
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(file).replace(/^\uFEFF/, ''),
      encoding: 'utf-8',
    };
  } catch {
    const detected = chardet.detect(file) ?? '';
    const encoding = /^(GB|Big5|EUC|Shift|windows-1252|ISO-8859)/i.test(detected) ? 'gb18030' : detected;
    if (!encoding || !iconv.encodingExists(encoding))
      throw new BadRequestError('invalid_encoding', 'The file’s text encoding is not one this server reads');
    return { text: iconv.decode(file, encoding), encoding: encoding.toLowerCase() };
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Header and data rows of a grid: a second header row of field names follows one of item names. */
function fromGrid(format: LeakTable['format'], encoding: string, grid: unknown[][]): LeakTable {
  const [first = [], second = [], ...rest] = grid.map((r) => r.map((v) => (v === undefined ? '' : v)));
  const asText = (r: unknown[]) => r.map((v) => String(v ?? '').trim());
  const twoRows =
    second.length > 0 &&
    asText(second).every((v) => IDENTIFIER.test(v)) &&
    asText(first).some((v) => !IDENTIFIER.test(v));
  const names = asText(first);
  const headers = names.map((n, i) => (twoRows ? [n, asText(second)[i] ?? ''] : [n]));
  return { format, encoding, headers, rows: twoRows ? rest : second.length ? [second, ...rest] : rest };
}

function fromRecords(encoding: string, records: unknown[]): LeakTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    if (r && typeof r === 'object' && !Array.isArray(r))
      for (const k of Object.keys(r))
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
  const rows = records.map((r) => names.map((n) => (r as Record<string, unknown>)?.[n] ?? null));
  return { format: 'json', encoding, headers: names.map((n) => [n]), rows };
}

function readJson(file: Buffer): LeakTable {
  const { text, encoding } = decodeText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Newline-delimited JSON: one record a line.
    try {
      value = text
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));
    } catch {
      throw new BadRequestError('bad_request', 'The file is not readable JSON');
    }
  }
  // A page of GET …/rows ({ rows: [...] }), or an array of records.
  const records = Array.isArray(value) ? value : (value as { rows?: unknown })?.rows;
  if (!Array.isArray(records)) throw new BadRequestError('bad_request', 'The JSON holds no array of records');
  return fromRecords(encoding, records);
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    if ('result' in v) return (v as { result: unknown }).result;
    if ('text' in v) return (v as { text: unknown }).text;
    if ('richText' in v)
      return (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('');
  }
  return v;
}

async function readXlsx(file: Buffer): Promise<LeakTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  } catch {
    throw new BadRequestError('malformed_xlsx', 'The file is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  const grid: unknown[][] = [];
  sheet?.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as ExcelJS.CellValue[];
    grid.push(values.slice(1).map(cellValue));
  });
  return fromGrid('xlsx', 'xlsx', grid);
}

function readCsv(file: Buffer): LeakTable {
  const { text, encoding } = decodeText(file);
  let grid: string[][];
  try {
    grid = parse(text, { relax_column_count: true, skip_empty_lines: true, relax_quotes: true });
  } catch {
    throw new BadRequestError('malformed_csv', 'The file is not readable CSV');
  }
  return fromGrid('csv', encoding, grid);
}

/** Whether the first byte after a BOM and white space opens JSON ([ or {, the same in GBK and UTF-8). */
function startsLikeJson(file: Buffer): boolean {
  let i = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? 3 : 0;
  while (i < file.length && [0x20, 0x09, 0x0a, 0x0d].includes(file[i]!)) i++;
  return file[i] === 0x5b || file[i] === 0x7b;
}

/** Reads a leaked CSV, XLSX or JSON file (by its content, not its name); an empty one is refused. */
export async function readLeak(file: Buffer): Promise<LeakTable> {
  if (file.length === 0 || file.toString('utf8').trim() === '')
    throw new BadRequestError('empty_file', 'The file is empty');
  const table =
    file.subarray(0, 4).toString('binary') === 'PK\u0003\u0004'
      ? await readXlsx(file)
      : startsLikeJson(file)
        ? readJson(file)
        : readCsv(file);
  if (table.rows.length === 0) throw new BadRequestError('empty_file', 'The file has no data rows');
  return table;
}
