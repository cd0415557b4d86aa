import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import { type Frontier, unpackFrontier } from './frontier.js';

/** The tree's state as the head row records it. */
export interface Head {
  frontier: Frontier;
  checkpointSize: number;
}

interface HeadRow {
  tree_size: number;
  frontier: Uint8Array;
  checkpoint_size: number;
}

/**
 * Reads the head row and locks it until the transaction ends. Every writer, in this process or
 * another sharing the same PostgreSQL, passes through this lock, so indices are gap-free and the
 * history is linear.
 */
export async function lockHead(trx: Transaction<Database>): Promise<Head> {
  const { rows } = await sql<HeadRow>`
    SELECT tree_size, frontier, checkpoint_size FROM audit_head WHERE id = 1 FOR UPDATE`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('audit_head row is missing');
  return {
    frontier: unpackFrontier(Number(row.tree_size), row.frontier),
    checkpointSize: Number(row.checkpoint_size),
  };
}

/** Reads the head without locking (for readers). */
export async function readHead(db: Kysely<Database>): Promise<Head> {
  const row = await db
    .selectFrom('audit_head')
    .select(['tree_size', 'frontier', 'checkpoint_size'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    frontier: unpackFrontier(Number(row.tree_size), row.frontier),
    checkpointSize: Number(row.checkpoint_size),
  };
}

/** Records the new head. */
export async function writeHead(trx: Transaction<Database>, head: Head): Promise<void> {
  await trx
    .updateTable('audit_head')
    .set({
      tree_size: head.frontier.size,
      frontier: Buffer.concat(head.frontier.hashes),
      checkpoint_size: head.checkpointSize,
    })
    .where('id', '=', 1)
    .execute();
}
