import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** warning_cursor: one row, the last audit entry evaluated; locked by the evaluating process. */
export interface WarningCursorTable {
  id: number;
  position: Int8;
  updated_at: Timestamp;
}

/** warning_rules: a security officer's settings of a rule (defaults live in code). */
export interface WarningRuleTable {
  rule: string;
  enabled: boolean;
  severity: string;
  settings: Json<Record<string, number>>;
  response: ColumnType<string, string | undefined, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** warning_alerts: one alert per rule and subject within the grouping window. */
export interface WarningAlertTable {
  id: string;
  rule: string;
  severity: string;
  subject: string;
  subject_org_id: string | null;
  summary: string;
  details: Json<Record<string, unknown>>;
  status: string;
  count: number;
  entries: Json<number[]>;
  first_index: Int8;
  last_index: Int8;
  first_seen: Timestamp;
  last_seen: Timestamp;
  assignee_id: string | null;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  note: string | null;
  response: ColumnType<AlertResponseRecord | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Timestamp;
}

/** An automatic response as an alert records it. */
export interface AlertResponseRecord {
  kind: 'suspend_key' | 'suspend_grant';
  target: string;
  at: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

/** warning_volumes: releases per consumer per hour, the baselines' history. */
export interface WarningVolumeTable {
  consumer: string;
  hour: Timestamp;
  releases: number;
}

/** warning_addresses: every address a key was seen from, and the entry where it first was. */
export interface WarningAddressTable {
  key_id: string;
  address: string;
  first_index: Int8;
  first_seen: Timestamp;
}

/** The warning module's tables. */
export interface WarningTables {
  warning_cursor: WarningCursorTable;
  warning_rules: WarningRuleTable;
  warning_alerts: WarningAlertTable;
  warning_volumes: WarningVolumeTable;
  warning_addresses: WarningAddressTable;
}
