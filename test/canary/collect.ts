// Every byte of an answer as text to search: the status line, every header, the body as UTF-8 and
// as Latin-1 (raw bytes), and the decoded contents of the binary formats (an XLSX is a zip of XML,
// Parquet pages are compressed, Arrow buffers hold strings apart from their offsets).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';

/** Reads binary deliveries back with the project's own libraries. */
export class Decoder {
  private duck?: Promise<Awaited<ReturnType<DuckDBInstance['connect']>>>;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'huitong-canary-'));
  private n = 0;

  private connection() {
    this.duck ??= DuckDBInstance.create(':memory:').then((d) => d.connect());
    return this.duck;
  }

  /** Every cell of an XLSX workbook, sheet names and shared strings included. */
  async xlsx(bytes: Buffer): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const out: string[] = [];
    workbook.eachSheet((sheet) => {
      out.push(sheet.name);
      sheet.eachRow((row) => out.push(JSON.stringify(row.values)));
    });
    return out.join('\n');
  }

  /** Every row and the schema of a Parquet file, read back through DuckDB. */
  async parquet(bytes: Buffer): Promise<string> {
    const file = join(this.scratch, `d${this.n++}.parquet`);
    writeFileSync(file, bytes);
    const duck = await this.connection();
    const rows = (await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
    const meta = (
      await duck.runAndReadAll(`SELECT * FROM parquet_kv_metadata('${file}')`)
    ).getRowObjectsJson();
    rmSync(file);
    return JSON.stringify({ rows, meta }, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  }

  /** Every row and the schema (with its metadata) of an Arrow IPC stream. */
  arrow(bytes: Buffer): string {
    const table = tableFromIPC(bytes);
    const schema = table.schema.fields.map((f) => `${f.name} ${[...f.metadata].join(' ')}`);
    return JSON.stringify({ schema, meta: [...table.schema.metadata], rows: table.toArray() }, (_k, v) =>
      typeof v === 'bigint' ? String(v) : v,
    );
  }

  /** The answer as searchable text: status, headers, raw body, and the decoded body of a binary format. */
  async text(response: LightMyRequestResponse): Promise<string> {
    const raw = response.rawPayload;
    const parts = [
      String(response.statusCode),
      JSON.stringify(response.headers),
      raw.toString('utf8'),
      raw.toString('latin1'),
    ];
    const type = String(response.headers['content-type'] ?? '');
    if (response.statusCode < 300 && raw.length) {
      if (type.includes('spreadsheetml')) parts.push(await this.xlsx(raw));
      else if (type.includes('parquet')) parts.push(await this.parquet(raw));
      else if (type.includes('arrow')) parts.push(this.arrow(raw));
    }
    return parts.join('\n');
  }

  /** Removes the scratch directory. */
  close(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
