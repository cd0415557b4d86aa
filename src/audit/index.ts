export { type AppenderOptions, GroupCommitAppender } from './appender.js';
export { type AuditLog, type AuditLogOptions, createAuditLog, DEFAULT_ORIGIN } from './audit-log.js';
export { type CanonicalValue, canonicalBytes, canonicalJson } from './canonical-json.js';
export {
  type Checkpoint,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.js';
export { allCheckpoints, latestCheckpoint, listCheckpoints } from './checkpoints.js';
export { csvField, csvRow, ENTRY_CSV_COLUMNS, entriesCsv, entryCsvRow } from './csv.js';
export { ed25519Sign, ed25519Verify, privateKeyFromSeed, publicKeyFromRaw, rawPublicKey } from './ed25519.js';
export {
  type AuditActor,
  AuditActorSchema,
  type AuditEntry,
  type AuditEvent,
  AuditEventSchema,
  entryBytes,
  entryTags,
  parseEntry,
} from './entry.js';
export { AuditUnavailableError } from './errors.js';
export { AUDIT_EVENT_TYPES, type AuditEventType } from './event-types.js';
export { type ExportHeader, exportLog, verifyExport } from './export.js';
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash, sha256 } from './hashes.js';
export {
  type AuditKey,
  auditKeyFrom,
  KEY_FILE,
  loadOrCreateAuditKey,
  loadOrCreateEd25519Key,
} from './keys.js';
export { type ReleaseView, releasesOfResource, releasesToOrganization } from './lineage.js';
export { MemoryTree } from './memory-tree.js';
export {
  ed25519KeyId,
  ed25519Signer,
  NoteError,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  signNote,
  verifierFromVkey,
  vkeyOf,
} from './note.js';
export { consistencyPlan, inclusionPlan, rangeHash, splitPoint } from './proof-plan.js';
export {
  type AuditEntryView,
  type AuditQuery,
  AuditQuerySchema,
  entryText,
  getEntry,
  listEntries,
  presentEntry,
  presentEntryText,
  streamEntries,
} from './queries.js';
export {
  RELEASE_TYPES,
  type ReleaseDetails,
  ReleaseDetailsSchema,
  type ReleaseOutcome,
  ReleaseOutcomeSchema,
  type ReleaseStart,
} from './release.js';
export {
  type ReleaseSummaryFilter,
  type ReleaseSummaryRow,
  summarizeReleases,
} from './release-summary.js';
export type { StoredCheckpoint } from './sign-checkpoint.js';
export {
  type ConsistencyProof,
  consistencyProof,
  type InclusionProof,
  inclusionProof,
  rootAt,
} from './store-proofs.js';
export { storeLogSource } from './store-source.js';
export type { EntryColumns, LogEntryRecord } from './verify-entry.js';
export {
  type LogCheckpointRecord,
  type LogSource,
  type VerifyCode,
  type VerifyOptions,
  type VerifyProblem,
  type VerifyReport,
  verifyLog,
} from './verify-log.js';
export { rootFromInclusion, verifyConsistency, verifyInclusion } from './verify-proofs.js';
export {
  type CheckpointFetcher,
  checkNext,
  type FetchedCheckpoint,
  type WatchAlarm,
  type Watcher,
  type WatchOptions,
  watchLog,
} from './watch.js';
export type { Appended, UsageAdjustment } from './write-batch.js';
