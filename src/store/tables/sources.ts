import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
// jsonb: parsed on the way out; written as JSON text so that arrays are not taken for SQL arrays.
type Json = ColumnType<unknown, string, string>;

/** sources (数据源): an organisation's databases, uploaded files and HTTP APIs. */
export interface SourceTable {
  id: string;
  org_id: string;
  name: string;
  kind: string;
  description: string;
  /** Non-secret connection options; the shape depends on `kind` (see sources/source-config.ts). */
  config: Json;
  /** Credentials sealed with AES-256-GCM (sources/credentials.ts); never returned by the API. */
  secret: string | null;
  /** Which credentials `secret` holds (`password`, `authHeaderValue`), so views can say so without decrypting. */
  secret_fields: string[];
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The tables of sources/. */
export interface SourceTables {
  sources: SourceTable;
}
