// A whole snapshot into a PostgreSQL staging table in one transaction: the table emptied, each
// chunk COPYed as it comes (the next chunk is read and enforced meanwhile), the position set, then
// one commit. A crash or a failure anywhere leaves the table as it was, and the next attempt
// loads it all again: no row is missing or there twice.
import type pg from 'pg';
import { ChannelError, type SnapshotChunk, type SnapshotLoad } from '../types.js';
import { copyRows } from './postgres-write.js';
import type { StagingColumn } from './table.js';

// A failure of the chunks' side (the grant refused, the source or the store down) is passed on as
// it is, not taken for the staging database's.
class ChunkFailure extends Error {
  constructor(readonly reason: unknown) {
    super('snapshot chunk failed');
  }
}

/** The error to report: a chunk's own failure unwrapped, else null (the staging database's). */
export function chunkFailure(error: unknown): { reason: unknown } | null {
  return error instanceof ChunkFailure ? { reason: error.reason } : null;
}

/** What the loader needs of the writer: the table made or checked for the columns, and names. */
export interface SnapshotTarget {
  table: string;
  positions: string;
  ensure(client: pg.PoolClient, columns: StagingColumn[]): Promise<unknown>;
  ensurePositions(client: pg.PoolClient): Promise<void>;
  tableExists(client: pg.PoolClient): Promise<boolean>;
  columnsOf(chunk: SnapshotChunk): StagingColumn[];
}

/** Loads the chunks in the transaction already begun on `client`; returns the rows loaded. */
export async function loadSnapshotChunks(
  client: pg.PoolClient,
  target: SnapshotTarget,
  load: SnapshotLoad,
): Promise<number> {
  const chunks = load.chunks[Symbol.asyncIterator]();
  try {
    return await loadAll(client, target, load, chunks);
  } catch (error) {
    // The chunks' generator ends (its source read, lease and lock let go) before the transaction is undone.
    await chunks.return?.(undefined).catch(() => undefined);
    throw error;
  }
}

async function loadAll(
  client: pg.PoolClient,
  target: SnapshotTarget,
  load: SnapshotLoad,
  chunks: AsyncIterator<SnapshotChunk>,
): Promise<number> {
  const pull = () =>
    chunks.next().catch((reason: unknown) => {
      throw new ChunkFailure(reason);
    });
  let next = pull();
  // The first chunk says the columns: the table is made (or checked) before anything is emptied.
  let current = await next;
  await target.ensurePositions(client);
  let columns: StagingColumn[] | null = null;
  let signature = '';
  if (!current.done) {
    columns = target.columnsOf(current.value);
    signature = JSON.stringify(columns);
    await target.ensure(client, columns);
  }
  const id = load.target.subscriptionId;
  // The row lock serialises two loaders of one subscription (a lease taken over): one waits.
  await client.query(
    `INSERT INTO ${target.positions} (subscription_id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
    [id],
  );
  await client.query(`SELECT 1 FROM ${target.positions} WHERE subscription_id = $1 FOR UPDATE`, [id]);
  if (columns || (await target.tableExists(client))) await client.query(`TRUNCATE ${target.table}`);
  let rows = 0;
  while (!current.done) {
    const chunk = current.value;
    // Read and enforce the next chunk while this one is written.
    next = pull();
    next.catch(() => undefined);
    const these = target.columnsOf(chunk);
    if (JSON.stringify(these) !== signature)
      throw new ChannelError(
        'staging_columns_changed',
        'The granted items changed during the snapshot; it is taken again',
        true,
      );
    if (chunk.rows.length) await copyRows(client, target.table, these, { events: chunk.rows });
    rows += chunk.rows.length;
    current = await next;
  }
  // Not null: a later first change must not take the table for another subscription's and empty it.
  await client.query(
    `UPDATE ${target.positions} SET last_seq = $2, last_event_id = $3, updated_at = now() WHERE subscription_id = $1`,
    [id, load.position, 'snapshot'],
  );
  return rows;
}
