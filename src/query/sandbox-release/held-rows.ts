import { AppError } from '../../errors/index.js';
import { openSealedText, sealText } from '../../sources/index.js';
import type { Store } from '../../store/index.js';

// A held answer is computed over detail the analyst may not see (unmasked), so its rows are
// stored sealed with the platform's credentials key (AES-256-GCM, the primitive that seals the
// sources' passwords), bound to the review's id: opened only for an authorised read of /result.

type Db = Store['db'];

const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

// The prefix keeps the two uses of the one key apart: a held answer is bound to a review, a
// source's password to a source, and neither ciphertext opens in the other's place.
const boundTo = (reviewId: string) => `release_review:${reviewId}`;

/** Seals the held rows of review `reviewId`. */
export function sealHeldRows(key: Buffer, reviewId: string, rows: unknown[][]): string {
  return sealText(key, boundTo(reviewId), JSON.stringify(rows, bigints));
}

/**
 * Opens the held rows of a review: sealed, or (held before migration 0015 and not yet sealed)
 * in clear. A sealed value that fails authentication — tampered, copied from another review, or
 * under another key — is a 500 `held_result_unreadable`, with no detail for the client.
 */
export function openHeldRows(
  key: Buffer,
  row: { id: string; sealed_rows: string | null; rows: unknown },
): unknown[][] {
  if (row.sealed_rows === null)
    return (typeof row.rows === 'string' ? JSON.parse(row.rows) : row.rows) as unknown[][];
  try {
    return JSON.parse(openSealedText(key, boundTo(row.id), row.sealed_rows)) as unknown[][];
  } catch {
    const error = new AppError(500, 'held_result_unreadable', 'The held answer cannot be read');
    error.logDetails = { reviewId: row.id };
    throw error;
  }
}

/**
 * Seals the rows held in clear before migration 0015 (which runs without the key): called when
 * the platform starts. Returns how many it sealed; a row another process sealed meanwhile is left.
 */
export async function sealClearHeldRows(db: Db, key: Buffer): Promise<number> {
  const clear = await db
    .selectFrom('release_reviews')
    .select(['id', 'rows', 'sealed_rows'])
    .where('sealed_rows', 'is', null)
    .execute();
  let sealed = 0;
  for (const row of clear) {
    // Guarded by `sealed_rows IS NULL`: a row another process sealed meanwhile is left as it is.
    const done = await db
      .updateTable('release_reviews')
      .set({ sealed_rows: sealHeldRows(key, row.id, openHeldRows(key, row)), rows: null })
      .where('id', '=', row.id)
      .where('sealed_rows', 'is', null)
      .executeTakeFirst();
    sealed += Number(done.numUpdatedRows);
  }
  return sealed;
}
