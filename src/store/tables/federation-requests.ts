import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** federation_peer_users: a person of a peer node who applied here, mirrored as a user that cannot sign in. */
export interface FederationPeerUserTable {
  node_id: string;
  remote_user_id: string;
  user_id: string;
  org_id: string;
  created_at: Timestamp;
}

/** federation_peer_requests: which access requests of this (provider) node a peer node filed. */
export interface FederationPeerRequestTable {
  node_id: string;
  remote_request_id: string;
  access_request_id: string;
  created_at: Timestamp;
}

/** federation_remote_requests: access requests this (consumer) node's people filed with another node. */
export interface FederationRemoteRequestTable {
  id: string;
  org_id: string;
  application_id: string;
  created_by: string;
  provider_node_id: string;
  resource_code: string;
  items: Json<string[]>;
  purpose: string;
  payload: Json<unknown>;
  provider_request_id: string | null;
  status: string;
  decision: Json<unknown> | null;
  checked_at: Timestamp | null;
  check_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The tables of cross-node access requests. */
export interface FederationRequestTables {
  federation_peer_users: FederationPeerUserTable;
  federation_peer_requests: FederationPeerRequestTable;
  federation_remote_requests: FederationRemoteRequestTable;
}
