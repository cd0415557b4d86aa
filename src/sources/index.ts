// The public surface of sources/ (数据源). Only query/ reads provider data through it; the HTTP
// routes and the CLI use the management functions (metadata: test, describe), never `read`.
export { captureMethodsOf, type OpenCaptureOptions, openCapture } from './capture/open.js';
export type { PollOptions } from './capture/poll.js';
export { captureSlotName } from './capture/postgres-logical.js';
export { rowsConnector } from './capture/rows-connector.js';
export type {
  BatchHandler,
  CaptureBatch,
  CapturedChange,
  CaptureMethod,
  CaptureStatus,
  CaptureTable,
  ChangeCapture,
  ChangeOp,
} from './capture/types.js';
export { type Connector, type CopyOut, CopyUnsupported, type ReadOptions } from './connectors/connector.js';
export { API_TABLE } from './connectors/http-json.js';
export { FILE_TABLE } from './connectors/parquet.js';
export { decryptSecret, encryptSecret, openSealedText, sealText } from './credentials.js';
export { type Drift, detectDrift, type ExpectedColumn } from './drift.js';
export type { SourceErrorCode } from './errors.js';
export { type ImportFileInput, importFile } from './import-file.js';
export {
  type ExpressionContext,
  type Filter,
  FilterSchema,
  type ParsedReadPlan,
  type ReadFrom,
  ReadFromSchema,
  type ReadPlan,
  ReadPlanSchema,
  type SelectExpression,
  type SortKey,
  type SqlCondition,
} from './plan.js';
export { presentSource } from './presenters.js';
export { type ReplaceFileInput, replaceFile } from './replace-file.js';
export { retypeFileColumns } from './retype-file.js';
export {
  createSourceRuntime,
  type SourceRuntime,
  type SourceRuntimeOptions,
  sourceRuntimeFromConfig,
} from './runtime.js';
export * from './schemas.js';
export { loadOrCreateSecretKey, parseSecretKey, SECRET_KEY_FILE } from './secret-key.js';
export { type FileFormat, FileFormatSchema, type Paging, type TlsOptions } from './source-config.js';
export { sourceFacts } from './source-facts.js';
export {
  createSource,
  deleteSource,
  describeSource,
  findSourceByName,
  getSource,
  listSources,
  openSourceConnector,
  testSource,
  updateSource,
} from './sources.js';
export { type SweepOptions, sweepUnfinishedImports } from './sweep-imports.js';
export * from './types.js';
