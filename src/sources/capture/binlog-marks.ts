import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { BinlogMarks } from './mysql-binlog.js';

/**
 * The binlog's starting point kept in `capture_positions`, the row where the platform stores the
 * source's capture position: the first `prepare` writes the server's position there when the
 * row is absent (so the first run, and the snapshot read after `prepare`, miss nothing), the
 * stored batches move it on, and `drop` deletes it (a later subscription starts afresh rather
 * than replaying, or failing on, binlog files from before).
 */
export function storedBinlogMarks(db: Kysely<Database>, sourceId: string): BinlogMarks {
  return {
    get: async () =>
      (
        await db
          .selectFrom('capture_positions')
          .select('position')
          .where('source_id', '=', sourceId)
          .executeTakeFirst()
      )?.position ?? null,
    setIfAbsent: async (position) => {
      await db
        .insertInto('capture_positions')
        .values({ source_id: sourceId, method: 'binlog', position, updated_at: new Date() })
        .onConflict((c) => c.column('source_id').doNothing())
        .execute();
    },
    clear: async () => {
      await db.deleteFrom('capture_positions').where('source_id', '=', sourceId).execute();
    },
  };
}
