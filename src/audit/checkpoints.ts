import type { Kysely } from 'kysely';
import { type Database, decodeCursor, type Page, type PageQuery, toPage } from '../store/index.js';
import { asBuffer } from './hashes.js';
import type { StoredCheckpoint } from './sign-checkpoint.js';

type Row = { id: number; tree_size: number; root_hash: Uint8Array; note: string; created_at: Date };

function present(row: Row): StoredCheckpoint {
  return {
    id: Number(row.id),
    treeSize: Number(row.tree_size),
    rootHash: asBuffer(row.root_hash),
    note: row.note,
    createdAt: row.created_at,
  };
}

const columns = ['id', 'tree_size', 'root_hash', 'note', 'created_at'] as const;

/** The most recently signed checkpoint, if any. */
export async function latestCheckpoint(db: Kysely<Database>): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select(columns)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? present(row) : undefined;
}

/** Checkpoints in signing order, a page at a time. */
export async function listCheckpoints(
  db: Kysely<Database>,
  page: PageQuery,
): Promise<Page<StoredCheckpoint>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('audit_checkpoints')
    .select(columns)
    .orderBy('id')
    .limit(page.limit + 1);
  if (after) query = query.where('id', '>', Number(after.id));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ key: String(r.id), id: String(r.id) }), present);
}

/** Every checkpoint (of at most `maxSize` entries when given), in signing order, for verification and export. */
export async function allCheckpoints(db: Kysely<Database>, maxSize?: number): Promise<StoredCheckpoint[]> {
  let query = db.selectFrom('audit_checkpoints').select(columns).orderBy('id');
  if (maxSize !== undefined) query = query.where('tree_size', '<=', maxSize);
  return (await query.execute()).map(present);
}
