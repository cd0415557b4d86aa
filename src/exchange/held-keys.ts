import type { Kysely, Transaction } from 'kysely';
import type { HeldKeys } from '../query/index.js';
import type { Database } from '../store/index.js';

/** The keys (keyed hashes) a subscriber holds, among those asked. */
export function heldKeys(db: Kysely<Database>, subscriptionId: string): HeldKeys {
  return async (keyIds) => {
    if (keyIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('subscription_keys')
      .select('key_hash')
      .where('subscription_id', '=', subscriptionId)
      .where('key_hash', 'in', keyIds)
      .execute();
    return new Set(rows.map((r) => r.key_hash));
  };
}

/** Applies a batch's changes to the held keys, in the transaction that stores its events. */
export async function applyHeld(
  tx: Transaction<Database>,
  subscriptionId: string,
  added: string[],
  removed: string[],
): Promise<void> {
  if (added.length)
    await tx
      .insertInto('subscription_keys')
      .values(added.map((key_hash) => ({ subscription_id: subscriptionId, key_hash })))
      .onConflict((c) => c.doNothing())
      .execute();
  if (removed.length)
    await tx
      .deleteFrom('subscription_keys')
      .where('subscription_id', '=', subscriptionId)
      .where('key_hash', 'in', removed)
      .execute();
}
