import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Header, headerRows, jsonValue, type RowStream } from '../row-stream.js';

// Excel's hard limit (header rows included); a larger result must be exported as CSV or Parquet.
const EXCEL_ROWS = 1_048_576;

/**
 * An XLSX workbook written row by row (exceljs's streaming writer). Its header by default holds
 * the items' names over their field names (people read the first, programs the second).
 */
export async function* toXlsx(stream: RowStream, options: { header?: Header } = {}): AsyncGenerator<Buffer> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('data');
  const header = headerRows(stream.columns, options.header ?? 'both');
  for (const row of header) sheet.addRow(row).commit();
  const maxRows = EXCEL_ROWS - header.length;
  const pump = (async () => {
    try {
      let count = 0;
      for await (const batch of stream.batches) {
        for (const row of batch) {
          if (++count > maxRows)
            throw new Error('The result exceeds Excel’s 1,048,576 rows; export CSV or Parquet');
          sheet.addRow(row.map((v) => jsonValue(v) as ExcelJS.CellValue)).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  for await (const chunk of out) yield chunk as Buffer;
  await pump;
}
