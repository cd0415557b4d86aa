import type { ColumnType, Generated } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** subscriptions: a consumer application's standing order for a resource's changes. */
export interface SubscriptionTable {
  id: string;
  org_id: string;
  application_id: string;
  actor: Json<unknown>;
  resource_id: string;
  resource_code: string;
  source_id: string;
  fields: Json<string[] | null> | null;
  filter: Json<unknown[]>;
  channel: Json<unknown>;
  status: string;
  reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_delivery_at: Timestamp | null;
  delivered_seq: ColumnType<number, number | bigint | undefined, number | bigint>;
  snapshot_last_seq: ColumnType<number, number | bigint | undefined, number | bigint>;
  attempts: ColumnType<number, number | undefined, number>;
  retry_until_seq: ColumnType<number | null, number | bigint | null | undefined, number | bigint | null>;
  next_attempt_at: Timestamp | null;
  failing_since: Timestamp | null;
  last_error: string | null;
  lease_until: Timestamp | null;
  /** Sealed (credentials key): a webhook's signing secret, a staging database's password. */
  channel_secret: string | null;
  snapshot_epoch: ColumnType<number, number | undefined, number>;
}

/** subscription_keys: the keyed hashes of the rows a subscriber holds. */
export interface SubscriptionKeyTable {
  subscription_id: string;
  key_hash: string;
}

/** subscription_events: enforced events in delivery order, until their channel has them. */
export interface SubscriptionEventTable {
  seq: Generated<Int8>;
  subscription_id: string;
  event_id: string;
  op: string;
  payload: Json<unknown>;
  release_index: Int8 | null;
  created_at: Timestamp;
}

/** capture_positions: where each source's change capture stands (durable: a restart resumes). */
export interface CapturePositionTable {
  source_id: string;
  method: string;
  position: string | null;
  updated_at: Timestamp;
}

/** subscription_dead_letters: batches a push channel failed to take for 24 h, kept for replay. */
export interface SubscriptionDeadLetterTable {
  id: string;
  subscription_id: string;
  first_seq: Int8;
  last_seq: Int8;
  events: number;
  error: string;
  attempts: number;
  created_at: Timestamp;
  replayed_at: Timestamp | null;
}

/** The subscription tables. */
export interface SubscriptionTables {
  subscriptions: SubscriptionTable;
  subscription_keys: SubscriptionKeyTable;
  subscription_events: SubscriptionEventTable;
  capture_positions: CapturePositionTable;
  subscription_dead_letters: SubscriptionDeadLetterTable;
}
