import type { ColumnType, Generated } from 'kysely';

type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;
type Int8 = ColumnType<number, number | bigint, number | bigint>;

/** audit_head: one row; the tree's size and right edge. Locking it orders every writer. */
export interface AuditHeadTable {
  id: number;
  tree_size: Int8;
  /** Hashes of the maximal complete subtrees, left to right, concatenated. */
  frontier: Bytes;
  /** The size of the latest checkpoint signed. */
  checkpoint_size: Int8;
}

/** audit_entries: the log's entries (canonical JSON bytes), their leaf hashes and search tags. */
export interface AuditEntryTable {
  idx: Int8;
  entry: Bytes;
  leaf_hash: Bytes;
  /** `type:…`, `actor:<kind>:<id>`, `org:…`, `resource:…` */
  tags: string[];
  /** For an entry that completes another (a release), the index of the one it completes. */
  ref_index: Int8 | null;
  time: ColumnType<Date, Date | string, never>;
}

/** audit_nodes: the hash of every complete subtree of level 1 and up. */
export interface AuditNodeTable {
  level: number;
  idx: Int8;
  hash: Bytes;
}

/** audit_checkpoints: every signed checkpoint, in signing order. */
export interface AuditCheckpointTable {
  id: Generated<number>;
  tree_size: Int8;
  root_hash: Bytes;
  note: string;
  created_at: ColumnType<Date, Date, never>;
}

/** The audit module's tables. */
export interface AuditTables {
  audit_head: AuditHeadTable;
  audit_entries: AuditEntryTable;
  audit_nodes: AuditNodeTable;
  audit_checkpoints: AuditCheckpointTable;
}
