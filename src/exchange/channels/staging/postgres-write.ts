// The statements that write a batch into a PostgreSQL staging table.
//
// The snapshot goes in by COPY FROM STDIN into a table without its primary key: inserting into a
// unique index row by row (random keyIds) costs more than the COPY itself, while one index build
// at the end is cheap. The first batch that is not a plain snapshot load "seals" the table: it
// drops duplicate keyIds (a snapshot row delivered twice; the later transaction's row stays)
// and adds the primary key, in that batch's transaction, before it upserts on the key.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { ChannelError } from '../types.js';
import type { Step } from './plan.js';
import { KEY_COLUMN, quoteIdent, type StagingColumn } from './table.js';
import { copyLine, rowValues } from './values.js';

const q = (name: string) => quoteIdent('postgres', name);
// A statement binds at most 65,535 parameters; a multi-row upsert stays well under.
const MAX_PARAMS = 60_000;
const MAX_ROWS = 5_000;
const COPY_CHUNK = 262_144;

type Upserts = Extract<Step, { op: 'upsert' }>;

/**
 * Whether the table has its primary key on huitong_key_id (false while its snapshot is loading).
 * A primary key on anything else makes it not ours: the upserts could not name their key.
 */
export async function hasPrimaryKey(client: pg.PoolClient, table: string, name: string): Promise<boolean> {
  const result = await client.query<{ column: string }>(
    `SELECT a.attname AS "column" FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
    [table],
  );
  const columns = result.rows.map((r) => r.column);
  if (!columns.length) return false;
  if (columns.length === 1 && columns[0] === KEY_COLUMN) return true;
  throw new ChannelError(
    'staging_table_conflict',
    `The table ${name} exists in the staging database with another primary key (${columns.join(', ')})`,
    false,
  );
}

/** Drops duplicate keyIds, keeping the row of the later transaction, and adds the primary key. */
export async function sealTable(client: pg.PoolClient, table: string): Promise<void> {
  const key = q(KEY_COLUMN);
  // Batches are applied one transaction after another and have no duplicate key within: the
  // later xmin is the later delivery.
  await client.query(
    `DELETE FROM ${table} a USING ${table} b WHERE a.${key} = b.${key} AND a.xmin::text::bigint < b.xmin::text::bigint`,
  );
  await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${key})`);
}

/** Multi-row INSERT … ON CONFLICT (huitong_key_id) DO UPDATE, chunked under the parameter limit. */
export async function upsertRows(
  client: pg.PoolClient,
  table: string,
  columns: StagingColumn[],
  step: Upserts,
): Promise<void> {
  const names = columns.map((c) => q(c.name)).join(', ');
  const updates = columns
    .filter((c) => c.name !== KEY_COLUMN)
    .map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`);
  const onConflict = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  for (let i = 0; i < step.events.length; i += per) {
    const chunk = step.events.slice(i, i + per);
    const params: unknown[] = [];
    const tuples = chunk.map((e) => {
      const start = params.length;
      params.push(...rowValues('postgres', columns, e.keyId, e.row));
      return `(${columns.map((_, j) => `$${start + j + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ON CONFLICT (${q(KEY_COLUMN)}) ${onConflict}`,
      params,
    );
  }
}

/** COPY FROM STDIN of the rows, streamed in 256 KB chunks of text rows. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: StagingColumn[],
  step: { events: Array<{ keyId: string; row: Record<string, unknown> }> },
): Promise<void> {
  const names = columns.map((c) => q(c.name)).join(', ');
  function* chunks() {
    let buffer = '';
    for (const e of step.events) {
      buffer += copyLine(rowValues('postgres', columns, e.keyId, e.row));
      if (buffer.length >= COPY_CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(copyStreams.from(`COPY ${table} (${names}) FROM STDIN`)),
  );
}

/** DELETE by keyId (one array parameter). */
export async function deleteRows(client: pg.PoolClient, table: string, keyIds: string[]): Promise<void> {
  await client.query(`DELETE FROM ${table} WHERE ${q(KEY_COLUMN)} = ANY($1::text[])`, [keyIds]);
}
