import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { BadRequestError, ConflictError, isUniqueViolation } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { sourceError } from './errors.js';
import { convertToParquet, describeParquet } from './files/convert.js';
import { openFileEngine } from './files/engine.js';
import { type DeclaredEncoding, resolveEncoding } from './files/text-decoder.js';
import { type CsvLayout, transcodeToUtf8 } from './files/transcode.js';
import { receiveUpload } from './files/upload.js';
import { xlsxToCsv } from './files/xlsx-to-csv.js';
import { presentSource } from './presenters.js';
import type { SourceRuntime } from './runtime.js';
import type { ImportedFileView } from './schemas.js';
import type { FileConfig, FileFormat } from './source-config.js';

/** What an upload says about itself. */
export interface ImportFileInput {
  orgId: string;
  name: string;
  description?: string;
  format: FileFormat;
  encoding: DeclaredEncoding;
  delimiter?: string;
  header: boolean;
  sheet?: string;
  originalName?: string | null;
  createdBy?: string | null;
}

/** Stages the upload as a file DuckDB can read: UTF-8 text checked for encoding and shape, or the Parquet as sent. */
export async function stage(
  staging: string,
  raw: string,
  input: Pick<ImportFileInput, 'format' | 'encoding' | 'delimiter' | 'header' | 'sheet'>,
) {
  if (input.format === 'parquet') return { staged: raw, encoding: null, layout: undefined };
  if (input.format === 'xlsx') {
    const csv = join(staging, 'upload.csv');
    await xlsxToCsv(raw, csv, input.sheet);
    return { staged: csv, encoding: null, layout: { delimiter: ',', header: true } as CsvLayout };
  }
  const encoding = await resolveEncoding(raw, input.encoding);
  const text = join(staging, 'upload.txt');
  const layout = await transcodeToUtf8(
    raw,
    text,
    encoding,
    input.format === 'csv' ? { delimiter: input.delimiter, header: input.header } : undefined,
  );
  await rm(raw, { force: true });
  return { staged: text, encoding, layout };
}

/**
 * Imports an uploaded file as a file source: streamed to a staging folder under the data directory,
 * decoded and checked, converted to Parquet by a sandboxed DuckDB, moved into place, and only then
 * registered. Any failure removes everything it wrote, so nothing is ever half-imported.
 */
export async function importFile(
  db: Kysely<Database>,
  runtime: SourceRuntime,
  body: Readable,
  input: ImportFileInput,
): Promise<ImportedFileView> {
  const org = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', input.orgId)
    .executeTakeFirst();
  if (!org)
    throw new BadRequestError('unknown_organization', 'The organisation does not exist', { field: 'orgId' });
  const id = randomUUID();
  const staging = join(runtime.filesDir, `.staging-${id}`);
  const home = join(runtime.filesDir, id);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const raw = join(staging, 'upload.bin');
    const sizeBytes = await receiveUpload(body, raw, runtime.uploadLimit);
    if (sizeBytes === 0) throw sourceError('malformed_file', 'The file is empty');
    const { staged, encoding, layout } = await stage(staging, raw, input);
    const parquet = join(staging, 'data.parquet');
    const engine = await openFileEngine([staging]);
    let described: Awaited<ReturnType<typeof describeParquet>>;
    try {
      await convertToParquet(engine.connection, input.format, staged, parquet, layout);
      described = await describeParquet(engine.connection, parquet);
    } finally {
      engine.close();
    }
    if (described.columns.length === 0) throw sourceError('malformed_file', 'The file has no columns');

    await mkdir(home, { recursive: true, mode: 0o700 });
    const final = join(home, `data-${Date.now()}.parquet`);
    await rename(parquet, final);
    const config: FileConfig = {
      format: input.format,
      path: relative(runtime.dataDir, final),
      originalName: input.originalName ?? null,
      encoding,
      delimiter: layout?.delimiter ?? null,
      header: input.format === 'csv' ? input.header : null,
      sizeBytes,
      rowCount: described.rowCount,
    };
    const now = new Date();
    const row = await db
      .insertInto('sources')
      .values({
        id,
        org_id: input.orgId,
        name: input.name,
        kind: 'file',
        description: input.description ?? '',
        config: JSON.stringify(config),
        secret: null,
        secret_fields: [],
        created_by: input.createdBy ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error) => {
        if (isUniqueViolation(error))
          throw new ConflictError('duplicate_name', 'This organisation already has a source with this name');
        throw error;
      });
    return { source: presentSource(row), rowCount: described.rowCount, columns: described.columns };
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
