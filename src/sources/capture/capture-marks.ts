import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

/** Where a capture's starting point is kept before any batch is stored (see `storedMarks`). */
export interface CaptureMarks {
  get(): Promise<string | null>;
  setIfAbsent(position: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A capture's starting point kept in `capture_positions`, the row where the platform stores the
 * source's position: the first `prepare` writes the state there when the row is absent (so the
 * first run compares with what the subscription's snapshot read, and misses nothing), the stored
 * batches move it on, and `drop` deletes it.
 */
export function storedMarks(db: Kysely<Database>, sourceId: string, method: string): CaptureMarks {
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
        .values({ source_id: sourceId, method, position, updated_at: new Date() })
        .onConflict((c) => c.column('source_id').doNothing())
        .execute();
    },
    clear: async () => {
      await db.deleteFrom('capture_positions').where('source_id', '=', sourceId).execute();
    },
  };
}
