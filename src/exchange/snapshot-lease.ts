import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { ChannelError } from './channels/types.js';

/** How long a process holds a subscription's snapshot (renewed per batch); after a crash, another takes it over then. */
export const SNAPSHOT_LEASE_MS = 60_000;

/** A snapshot run's hold on its subscription: renewed per batch, checked when it turns active. */
export interface SnapshotLease {
  /**
   * Extends the lease (inside `db`, a transaction that stores what the lease guards, when given);
   * throws `snapshot_lease_lost` when another process took the snapshot over.
   */
  renew(db?: Kysely<Database>): Promise<void>;
  /** The lease as held now (what the final update must still find). */
  held(): Date | null;
}

/**
 * Holds a subscription's snapshot from `lease` (the one it was claimed or created with). A lease
 * is owned by its value: another process claiming the snapshot writes another one, and this run
 * stops at its next batch instead of loading beside it.
 */
export function snapshotLease(
  db: Kysely<Database>,
  subscriptionId: string,
  lease: Date | null,
): SnapshotLease {
  let held = lease;
  return {
    async renew(within = db) {
      const until = new Date(Date.now() + SNAPSHOT_LEASE_MS);
      const renewed = await within
        .updateTable('subscriptions')
        .set({ lease_until: until })
        .where('id', '=', subscriptionId)
        .where('status', '=', 'snapshot')
        .where((eb) => (held ? eb('lease_until', '=', held) : eb('lease_until', 'is', null)))
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) !== 1)
        throw new ChannelError('snapshot_lease_lost', 'Another process took the snapshot over', true);
      held = until;
    },
    held: () => held,
  };
}
