// observability/: metrics (Prometheus, prom-client) and tracing (OpenTelemetry). It imports no
// other module of the project, so that every module may record into it (the audit appender,
// the release pipeline, the sandbox pool, the source pools) without a cycle or a path to HTTP.

export type { Context, Span } from '@opentelemetry/api';
export { recordAuditCommit, watchAuditQueue } from './audit-metrics.js';
export { recordHttpRequest } from './http-metrics.js';
export { metricsText, registry, startProcessMetrics } from './registry.js';
export { type ReleaseFigures, recordRelease } from './release-metrics.js';
export { recordSandboxStart, type SandboxChild, watchSandboxes } from './sandbox-metrics.js';
export { bucketQuantile, type MetricsView, MetricsViewSchema, metricsSnapshot } from './snapshot.js';
export { recordSourceError, type SourcePoolFigures, watchSourcePools } from './source-metrics.js';
export { watchStore } from './store-metrics.js';
export {
  activeContext,
  contextWith,
  endSpan,
  REQUEST_ID_ATTRIBUTE,
  runIn,
  type SpanOptions,
  startSpan,
  traced,
} from './tracing.js';
export { startTracing, type Tracing } from './tracing-sdk.js';
