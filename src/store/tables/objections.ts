import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** The states of an objection (异议): see docs/governance.md. */
export type ObjectionStatus = 'open' | 'corrected' | 'explained' | 'reopened' | 'confirmed';

/** One step of an objection's life, as kept in `objections.history`. */
export interface StoredObjectionStep {
  action: 'raised' | 'corrected' | 'explained' | 'confirmed' | 'reopened';
  at: string;
  by: string;
  orgId: string;
  text: string;
}

/** objections (异议): a consumer's report that rows of a resource are wrong, and its answer. */
export interface ObjectionTable {
  id: string;
  resource_id: string;
  resource_code: string;
  resource_name: string;
  provider_id: string;
  consumer_id: string;
  raised_by: string;
  key_column: string;
  row_keys: Json<string[]>;
  items: Json<string[]>;
  description: string;
  expected: string;
  evidence: string;
  status: ObjectionStatus;
  created_at: Date;
  filed_at: Date;
  answered_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  history: Json<StoredObjectionStep[]>;
}

/** objection_rows: each row key under an objection, for marking disputed rows on delivery. */
export interface ObjectionRowTable {
  objection_id: string;
  resource_id: string;
  key_column: string;
  key_value: string;
}

/** The objections' tables (governance/ writes them; query/ reads objection_rows to mark rows). */
export interface ObjectionTables {
  objections: ObjectionTable;
  objection_rows: ObjectionRowTable;
}
