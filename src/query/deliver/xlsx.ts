import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { jsonValue, type RowStream } from '../row-stream.js';

// Excel's hard limit; a larger result must be exported as CSV or Parquet.
const EXCEL_MAX_ROWS = 1_048_575;

/** An XLSX workbook written row by row (exceljs's streaming writer), one header row. */
export async function* toXlsx(stream: RowStream): AsyncGenerator<Buffer> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('data');
  sheet.addRow(stream.columns.map((c) => c.name)).commit();
  const pump = (async () => {
    try {
      let count = 0;
      for await (const batch of stream.batches) {
        for (const row of batch) {
          if (++count > EXCEL_MAX_ROWS)
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
