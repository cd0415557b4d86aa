import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { isAppError, sourceError } from '../errors.js';

const pad = (n: number) => String(n).padStart(2, '0');

// Excel dates come back as Date in UTC; keep the date alone when there is no time of day.
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    return time === '00:00:00' ? date : `${date} ${time}`;
  }
  if (typeof value !== 'object') return String(value);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue); // formula: its cached result
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text); // hyperlink
  if ('error' in value) return '';
  return JSON.stringify(value);
}

/**
 * Streams one sheet of an XLSX workbook (the first, or the one named) to a UTF-8 CSV, row by row
 * with exceljs's streaming reader, so a large workbook never sits in memory. The first row is the
 * header; a value beyond the header's last column is a 400 `malformed_file` naming its row.
 */
export async function xlsxToCsv(src: string, dest: string, sheet?: string): Promise<void> {
  const out = createWriteStream(dest, { mode: 0o600 });
  const csv = stringify();
  csv.pipe(out);
  let found = false;
  // A refusal waits for the end of the workbook: thrown mid-sheet, it would leave exceljs's parked
  // files of this sheet and the ones after it in the temporary folder until the process exits.
  let refusal: Error | undefined;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(src, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache', // needed to tell date cells from numbers
      worksheets: 'emit',
    });
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name?: string }).name;
      if (found || (sheet !== undefined && name !== sheet)) {
        // A sheet stored before the shared strings is parked by exceljs in a temporary file, which
        // it opens lazily and deletes as soon as we move on. Skipped unread, the delete can win the
        // race with the open, whose ENOENT then has no listener and would bring the server down.
        for await (const _row of worksheet) {
          // read through, so the file is opened and closed before exceljs removes it
        }
        continue;
      }
      found = true;
      let width = 0;
      let expected = 1;
      for await (const row of worksheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (width === 0) {
          // The first row with cells is the header, wherever the sheet starts.
          width = values.length;
          expected = row.number;
        }
        if (values.slice(width).some((v) => v !== '')) {
          refusal = sourceError(
            'malformed_file',
            `Row ${row.number} has values beyond the header’s ${width} columns`,
            { line: row.number },
          );
          break;
        }
        // Blank rows in the middle are rows of empty cells, not missing rows.
        for (; expected < row.number; expected++) await write(csv, new Array(width).fill(''));
        expected = row.number + 1;
        await write(csv, [
          ...values.slice(0, width),
          ...new Array(Math.max(0, width - values.length)).fill(''),
        ]);
      }
    }
    if (refusal) throw refusal;
    if (!found)
      throw sourceError(
        'malformed_file',
        sheet ? `The workbook has no sheet "${sheet}"` : 'The workbook has no sheet',
      );
    csv.end();
    await finished(out);
  } catch (error) {
    // Abandoned streams may still report a pending write failing; that is expected now.
    csv.on('error', () => undefined).destroy();
    out.on('error', () => undefined).destroy();
    if (isAppError(error)) throw error;
    throw sourceError('malformed_file', 'The file is not a readable XLSX workbook');
  }
}

async function write(csv: ReturnType<typeof stringify>, row: string[]): Promise<void> {
  if (!csv.write(row)) await once(csv, 'drain');
}
