import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** delivery_schedules: a consumer application's cron schedule of full exports of a resource. */
export interface DeliveryScheduleTable {
  id: string;
  org_id: string;
  application_id: string;
  actor: Json<unknown>;
  resource_code: string;
  fields: Json<string[] | null> | null;
  filter: Json<unknown[]>;
  cron: string;
  timezone: string;
  /** The target as shown (a staging database without its password, or a file format). */
  target: Json<unknown>;
  /** Sealed (credentials key, bound to the schedule): a staging database's password. */
  secret: string | null;
  status: string;
  next_run_at: Timestamp | null;
  last_run_at: Timestamp | null;
  last_status: string | null;
  last_error: string | null;
  lease_until: Timestamp | null;
  created_at: Timestamp;
}

/** delivery_schedule_runs: one run of a schedule and its outcome. */
export interface DeliveryScheduleRunTable {
  id: string;
  schedule_id: string;
  /** `schedule` (the runner) or `manual` (POST …/run). */
  trigger: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  /** running, succeeded, failed. */
  status: string;
  rows: Int8 | null;
  bytes: Int8 | null;
  sha256: string | null;
  error: string | null;
  file_path: string | null;
  columns: Json<unknown> | null;
}

/** The delivery schedule tables. */
export interface DeliveryScheduleTables {
  delivery_schedules: DeliveryScheduleTable;
  delivery_schedule_runs: DeliveryScheduleRunTable;
}
