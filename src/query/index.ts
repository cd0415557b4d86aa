// query/: the one path by which data leaves the platform — plan (resolve resources, check
// access) → enforce (secure views: items, masks, row filters) → execute (pushdown into the
// source, or a locked DuckDB across several) → deliver (format, audit, stream).
export { auditActorOf } from './audit-actor.js';
export {
  type BindingView,
  BindingViewSchema,
  bindResource,
  describeBinding,
  unbindResource,
} from './binding-admin.js';
export {
  type Binding,
  BindResourceSchema,
  boundResourceIds,
  findBinding,
  requireBinding,
} from './bindings.js';
export {
  type ChangeBatchHandle,
  captureStatus,
  dropCapture,
  prepareCapture,
  runCapture,
} from './changes/capture.js';
export {
  type EnforcedBatch,
  type EnforcedEvent,
  enforceChanges,
  type HeldKeys,
  type Subscriber,
} from './changes/enforce.js';
export { type ReleasedColumn, releaseEvents } from './changes/pull.js';
export {
  openExchangeSecret,
  openSubscriptionSecret,
  sealExchangeSecret,
  sealSubscriptionSecret,
} from './changes/secret.js';
export { snapshotBatches } from './changes/snapshot.js';
export type { ConsumerFilter } from './consumer-filter.js';
export { ConsumerFilterSchema } from './consumer-filter.js';
export {
  type Caller,
  consumerHmacKey,
  createQueryContext,
  type QueryContext,
  type RemotePageQuery,
  type RemoteRows,
} from './context.js';
export { FORMAT_MEDIA, type Format, FormatSchema } from './deliver/formats.js';
export { checkFunctionCall } from './function-policy.js';
export {
  applyOpenKGeneralisation,
  checkOpenReleaseBeforePublish,
  type KPreview,
  type KPreviewInput,
  KPreviewInputSchema,
  KPreviewSchema,
  openReleaseCheck,
  previewOpenK,
} from './open-data-k-preview.js';
export {
  checkSameSource,
  type MeasureOptions,
  measureQuality,
  type QualityCheck,
  QualityCheckSchema,
  type QualityMeasure,
} from './quality.js';
export type { ValidityFormat } from './quality-sql.js';
export { type ReadableTable, readableTables } from './readable-tables.js';
export { releaseStoredExport, type StoredExport } from './release-stored.js';
export { MAX_REMOTE_ROWS } from './remote-table.js';
export { type Column, type ColumnType, ColumnTypeSchema, type RowStream } from './row-stream.js';
export { type Delivery, deliverRows, type RowsQuery, RowsQuerySchema } from './rows.js';
export { parseSize, type SandboxLimits } from './sandbox.js';
export { type SandboxHealth, sandboxHealth } from './sandbox-process/health.js';
export { closeSandboxPools } from './sandbox-process/pool.js';
export { sealClearHeldRows } from './sandbox-release/held-rows.js';
export { CheckReportSchema, HeldAnswerSchema } from './sandbox-release/report.js';
export { decideReleaseReview, releaseReviewResult } from './sandbox-release/result.js';
export {
  findReview,
  listReviews,
  presentReview,
  RefusalDecisionSchema,
  ReleaseReviewSchema,
  ReviewDecisionSchema,
  ReviewListQuerySchema,
} from './sandbox-release/reviews.js';
export { type ScanRequest, ScanRequestSchema, scanSource } from './scan.js';
export { deliverSql, type SqlQuery, SqlQuerySchema } from './sql.js';
export {
  deliverSqlEncoded,
  type EncodedAnswer,
  type EncodedSqlQuery,
  type RowEncoder,
  wireText,
} from './sql-encoded.js';
export { inspectSelect } from './sql-guard.js';
export { deliverStatistics, type StatisticsAnswer, StatisticsAnswerSchema } from './statistics.js';
export { type StatisticsQuery, StatisticsQuerySchema } from './statistics-plan.js';
export { SqlStatisticsSchema } from './statistics-sql.js';
export { type VerifyAnswer, type VerifyClaim, VerifyClaimSchema, verifyClaim } from './verify.js';
