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

/** The subscription tables. */
export interface SubscriptionTables {
  subscriptions: SubscriptionTable;
  subscription_keys: SubscriptionKeyTable;
  subscription_events: SubscriptionEventTable;
  capture_positions: CapturePositionTable;
}
