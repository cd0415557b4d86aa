import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { sourceError } from './errors.js';
import { convertToParquet, describeParquet } from './files/convert.js';
import { openFileEngine } from './files/engine.js';
import { receiveUpload } from './files/upload.js';
import { type ImportFileInput, stage } from './import-file.js';
import { presentSource } from './presenters.js';
import type { SourceRuntime } from './runtime.js';
import type { ImportedFileView } from './schemas.js';
import { type FileConfig, FileConfigSchema } from './source-config.js';
import { getSourceRow } from './sources.js';

/** What a new version of a file says about itself (its format may differ from the last one's). */
export type ReplaceFileInput = Pick<
  ImportFileInput,
  'format' | 'encoding' | 'delimiter' | 'header' | 'sheet'
>;

/**
 * Uploads a new version of a file source: converted like a first upload into a new Parquet
 * beside the old one; the source row moves to it (its path is the version a subscription's
 * capture diffs by key against the last one) and only then is the old file removed. Any
 * failure leaves the old version in service.
 */
export async function replaceFile(
  db: Kysely<Database>,
  runtime: SourceRuntime,
  id: string,
  body: Readable,
  input: ReplaceFileInput,
): Promise<ImportedFileView> {
  const row = await getSourceRow(db, id);
  if (row.kind !== 'file')
    throw new BadRequestError('not_a_file_source', 'Only a file source takes a new version of its file');
  const previous = FileConfigSchema.parse(row.config);
  const staging = join(runtime.filesDir, `.staging-${randomUUID()}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const next = join(runtime.filesDir, id, `data-${Date.now()}-${randomUUID().slice(0, 8)}.parquet`);
  let committed = false;
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
    await mkdir(join(runtime.filesDir, id), { recursive: true, mode: 0o700 });
    await rename(parquet, next);
    const config: FileConfig = {
      ...previous,
      format: input.format,
      path: relative(runtime.dataDir, next),
      encoding,
      delimiter: layout?.delimiter ?? null,
      header: input.format === 'csv' ? input.header : null,
      sizeBytes,
      rowCount: described.rowCount,
    };
    const updated = await db
      .updateTable('sources')
      .set({ config: JSON.stringify(config), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new NotFoundError('Source');
    committed = true;
    await runtime.connectors.close(id);
    await rm(join(runtime.dataDir, previous.path), { force: true });
    return { source: presentSource(updated), rowCount: described.rowCount, columns: described.columns };
  } catch (error) {
    if (!committed) await rm(next, { force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
