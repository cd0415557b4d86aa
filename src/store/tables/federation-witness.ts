import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Int8 = ColumnType<number, number, number>;
type Json<T> = ColumnType<T, string, string>;

/** federation_witness_peers: per peer, the log key the witness checks and its last cosigned note. */
export interface FederationWitnessPeerTable {
  peer_node_id: string;
  vkey: string;
  vkey_source: string;
  cosigned_note: string | null;
  cosignature: string | null;
  checked_at: Timestamp | null;
  last_error: string | null;
}

/** federation_witness_seen: every consistent checkpoint of a peer's log this witness saw. */
export interface FederationWitnessSeenTable {
  peer_node_id: string;
  tree_size: Int8;
  root_hash: string;
  note: string;
  seen_at: Timestamp;
}

/** federation_witness_alerts: forks and rollbacks, detected here or relayed by the root. */
export interface FederationWitnessAlertTable {
  id: string;
  subject_node_id: string;
  kind: string;
  detected_by: string;
  agreed_size: Int8;
  diverged_by: Int8;
  evidence: Json<unknown>;
  detected_at: Timestamp;
  received_at: Timestamp;
}

/** federation_cosignatures: on the root, the cosignatures witnesses sent for each log. */
export interface FederationCosignatureTable {
  log_node_id: string;
  tree_size: Int8;
  root_hash: string;
  witness_node_id: string;
  note: string;
  cosignature: string;
  cosigned_at: Timestamp;
}

/** The witness tables. */
export interface FederationWitnessTables {
  federation_witness_peers: FederationWitnessPeerTable;
  federation_witness_seen: FederationWitnessSeenTable;
  federation_witness_alerts: FederationWitnessAlertTable;
  federation_cosignatures: FederationCosignatureTable;
}
