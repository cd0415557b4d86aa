import { rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Kysely } from 'kysely';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { sourceError } from './errors.js';
import { describeParquet } from './files/convert.js';
import { duckdbLiteral, openFileEngine } from './files/engine.js';
import { presentSource } from './presenters.js';
import type { SourceRuntime } from './runtime.js';
import type { ImportedFileView, RetypeColumnsInput } from './schemas.js';
import { FileConfigSchema } from './source-config.js';
import { getSourceRow } from './sources.js';
import { duckdbTypeFor } from './sql/column-types.js';
import { DUCKDB } from './sql/dialect.js';

/**
 * Applies a steward's corrections to a file source's inferred types by re-casting into a new
 * Parquet beside the old one. Every correction is checked first (TRY_CAST over all rows): a value
 * that does not convert is a 400 `type_cast_failed` naming the column and an example, and the old
 * file stays in service. The source row moves to the new file before the old one is removed.
 */
export async function retypeFileColumns(
  db: Kysely<Database>,
  runtime: SourceRuntime,
  id: string,
  input: RetypeColumnsInput,
): Promise<ImportedFileView> {
  const row = await getSourceRow(db, id);
  if (row.kind !== 'file')
    throw new BadRequestError('not_a_file_source', 'Only file sources have column types to correct');
  const config = FileConfigSchema.parse(row.config);
  const old = join(runtime.dataDir, config.path);
  const next = join(runtime.filesDir, id, `data-${Date.now()}.parquet`);
  const engine = await openFileEngine([join(runtime.filesDir, id)]);
  let committed = false;
  try {
    const { columns } = await describeParquet(engine.connection, old);
    const wanted = new Map(input.columns.map((c) => [c.name, c.type]));
    for (const name of wanted.keys())
      if (!columns.some((c) => c.name === name))
        throw sourceError('unknown_column', `The file has no column ${JSON.stringify(name)}`, {
          column: name,
        });
    const from = `read_parquet(${duckdbLiteral(old)})`;
    const select: string[] = [];
    for (const column of columns) {
      const q = DUCKDB.quote(column.name);
      const type = wanted.get(column.name);
      if (type === undefined || type === column.type) {
        select.push(q);
        continue;
      }
      const target = duckdbTypeFor(type);
      const check = await engine.connection.runAndReadAll(
        `SELECT count(*) AS n, min(CAST(${q} AS VARCHAR)) AS example FROM ${from}
          WHERE ${q} IS NOT NULL AND TRY_CAST(${q} AS ${target}) IS NULL`,
      );
      const failed = check.getRowObjectsJS()[0];
      if (failed && Number(failed.n) > 0)
        throw sourceError(
          'type_cast_failed',
          `${Number(failed.n)} values of ${column.name} are not ${type}`,
          {
            column: column.name,
            type,
            failures: Number(failed.n),
            example: failed.example === null ? null : String(failed.example).slice(0, 100),
          },
        );
      select.push(`CAST(${q} AS ${target}) AS ${q}`);
    }
    await engine.connection.run(
      `COPY (SELECT ${select.join(', ')} FROM ${from}) TO ${duckdbLiteral(`${next}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await rename(`${next}.tmp`, next);
    const described = await describeParquet(engine.connection, next);
    const updated = await db
      .updateTable('sources')
      .set({
        config: JSON.stringify({ ...config, path: relative(runtime.dataDir, next) }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new NotFoundError('Source');
    committed = true;
    await runtime.connectors.close(id);
    await rm(old, { force: true });
    return { source: presentSource(updated), rowCount: described.rowCount, columns: described.columns };
  } catch (error) {
    await rm(`${next}.tmp`, { force: true });
    if (!committed) await rm(next, { force: true });
    throw error;
  } finally {
    engine.close();
  }
}
