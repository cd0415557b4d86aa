import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** federation_node: one row, this installation's identity and role. */
export interface FederationNodeTable {
  id: number;
  node_id: string;
  region_code: string;
  name: string;
  level: string;
  url: string;
  parent_node_id: string | null;
  role: string;
  federation: string;
  root_url: string | null;
  root_public_key: string;
  created_at: Timestamp;
}

/** federation_config: one row, the signed configuration this node holds. */
export interface FederationConfigTable {
  id: number;
  version: number;
  signed: Json<unknown>;
  fetched_at: Timestamp;
  last_error: string | null;
  last_error_at: Timestamp | null;
}

/** federation_members: the root's registry of nodes, pending join requests included. */
export interface FederationMemberTable {
  node_id: string;
  region_code: string;
  name: string;
  level: string;
  parent_node_id: string | null;
  url: string;
  public_key: string;
  audit_vkey: ColumnType<string | null, string | null | undefined, string | null>;
  status: string;
  requested_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

/** federation_join_tokens: one-time tokens, stored hashed. */
export interface FederationJoinTokenTable {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by_node: string | null;
}

/** federation_nonces: nonces of peers' signed requests within the window. */
export interface FederationNonceTable {
  node_id: string;
  nonce: string;
  seen_at: Timestamp;
}

/** The federation tables. */
export interface FederationTables {
  federation_node: FederationNodeTable;
  federation_config: FederationConfigTable;
  federation_members: FederationMemberTable;
  federation_join_tokens: FederationJoinTokenTable;
  federation_nonces: FederationNonceTable;
}
