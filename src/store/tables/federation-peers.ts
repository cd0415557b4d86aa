import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** federation_peer_orgs: a peer node's organisation, mirrored on this (provider) node. */
export interface FederationPeerOrgTable {
  node_id: string;
  remote_org_id: string;
  org_id: string;
  created_at: Timestamp;
}

/** federation_peer_apps: a peer node's application, mirrored on this (provider) node. */
export interface FederationPeerAppTable {
  node_id: string;
  remote_app_id: string;
  application_id: string;
  org_id: string;
  created_at: Timestamp;
}

/** The tables of cross-node reads. */
export interface FederationPeerTables {
  federation_peer_orgs: FederationPeerOrgTable;
  federation_peer_apps: FederationPeerAppTable;
}
