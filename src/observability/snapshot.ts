import { z } from 'zod';
import { registry } from './registry.js';

/** The figures of /metrics as the administrator's console reads them (GET /api/v1/admin/metrics). */
export const MetricsViewSchema = z.object({
  collectedAt: z.string(),
  store: z.object({ up: z.boolean() }),
  process: z.object({
    uptimeSeconds: z.number(),
    cpuSeconds: z.number(),
    residentMemoryBytes: z.number(),
    heapUsedBytes: z.number(),
    eventLoopLagP99Seconds: z.number(),
  }),
  http: z.array(
    z.object({
      method: z.string(),
      route: z.string(),
      status: z.string(),
      requests: z.number(),
      durationSecondsSum: z.number(),
      p50Seconds: z.number().nullable(),
      p95Seconds: z.number().nullable(),
    }),
  ),
  releases: z.array(
    z.object({
      resource: z.string(),
      format: z.string(),
      releases: z.number(),
      rows: z.number(),
      bytes: z.number(),
    }),
  ),
  audit: z.object({ appends: z.number(), failures: z.number(), queueDepth: z.number() }),
  sandbox: z.object({
    idle: z.number(),
    busy: z.number(),
    memoryBytes: z.number(),
    starts: z.number(),
    startFailures: z.number(),
  }),
  sources: z.object({
    pools: z.array(
      z.object({
        source: z.string(),
        kind: z.string(),
        total: z.number(),
        idle: z.number(),
        waiting: z.number(),
      }),
    ),
    errors: z.array(z.object({ kind: z.string(), code: z.string(), count: z.number() })),
  }),
});
export type MetricsView = z.infer<typeof MetricsViewSchema>;

type Labels = Record<string, string | number>;
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

/** Prometheus's histogram_quantile: linear within the bucket where the rank falls. */
export function bucketQuantile(q: number, buckets: Array<{ le: number; count: number }>): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let previous = { le: 0, count: 0 };
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      // Past the last finite bound Prometheus answers that bound.
      if (!Number.isFinite(bucket.le)) return previous.le;
      const within = bucket.count - previous.count;
      return within === 0
        ? bucket.le
        : previous.le + ((bucket.le - previous.le) * (rank - previous.count)) / within;
    }
    previous = bucket;
  }
  return previous.le;
}

const key = (labels: Labels, names: string[]) => names.map((n) => String(labels[n] ?? '')).join('\u0000');

/** Reads the registry once and shapes it for the console. */
export async function metricsSnapshot(): Promise<MetricsView> {
  const metrics = await registry.getMetricsAsJSON();
  const samples = new Map<string, Sample[]>();
  for (const metric of metrics) samples.set(metric.name, metric.values as Sample[]);
  const all = (name: string) => samples.get(name) ?? [];
  const one = (name: string, labels: Labels = {}) =>
    all(name).find((s) => Object.entries(labels).every(([k, v]) => String(s.labels[k]) === String(v)))
      ?.value ?? 0;
  const sum = (name: string) => all(name).reduce((total, s) => total + s.value, 0);

  // HTTP: one row per method, route and status, with quantiles from the histogram's buckets.
  const httpNames = ['method', 'route', 'status'];
  const httpRows = new Map<string, MetricsView['http'][number]>();
  const httpBuckets = new Map<string, Array<{ le: number; count: number }>>();
  for (const s of all('huitong_http_request_duration_seconds')) {
    const k = key(s.labels, httpNames);
    const row = httpRows.get(k) ?? {
      method: String(s.labels.method),
      route: String(s.labels.route),
      status: String(s.labels.status),
      requests: 0,
      durationSecondsSum: 0,
      p50Seconds: null,
      p95Seconds: null,
    };
    httpRows.set(k, row);
    if (s.metricName?.endsWith('_count')) row.requests = s.value;
    else if (s.metricName?.endsWith('_sum')) row.durationSecondsSum = s.value;
    else if (s.metricName?.endsWith('_bucket')) {
      const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le);
      httpBuckets.set(k, [...(httpBuckets.get(k) ?? []), { le, count: s.value }]);
    }
  }
  for (const [k, row] of httpRows) {
    row.p50Seconds = bucketQuantile(0.5, httpBuckets.get(k) ?? []);
    row.p95Seconds = bucketQuantile(0.95, httpBuckets.get(k) ?? []);
  }

  const releaseRows = new Map<string, MetricsView['releases'][number]>();
  const releaseRow = (labels: Labels) => {
    const k = key(labels, ['resource', 'format']);
    let row = releaseRows.get(k);
    if (!row) {
      row = {
        resource: String(labels.resource),
        format: String(labels.format),
        releases: 0,
        rows: 0,
        bytes: 0,
      };
      releaseRows.set(k, row);
    }
    return row;
  };
  for (const s of all('huitong_releases_total')) releaseRow(s.labels).releases += s.value;
  for (const s of all('huitong_release_rows_total')) releaseRow(s.labels).rows += s.value;
  for (const s of all('huitong_release_bytes_total')) releaseRow(s.labels).bytes += s.value;

  const pools = new Map<string, MetricsView['sources']['pools'][number]>();
  for (const s of all('huitong_source_pool_connections')) {
    const k = key(s.labels, ['source', 'kind']);
    const pool = pools.get(k) ?? {
      source: String(s.labels.source),
      kind: String(s.labels.kind),
      total: 0,
      idle: 0,
      waiting: 0,
    };
    pools.set(k, pool);
    const state = String(s.labels.state);
    if (state === 'total' || state === 'idle' || state === 'waiting') pool[state] = s.value;
  }

  const started = one('process_start_time_seconds');
  return {
    collectedAt: new Date().toISOString(),
    store: { up: one('huitong_store_up') === 1 },
    process: {
      uptimeSeconds: started > 0 ? Math.max(0, Date.now() / 1000 - started) : process.uptime(),
      cpuSeconds: one('process_cpu_seconds_total'),
      residentMemoryBytes: one('process_resident_memory_bytes'),
      heapUsedBytes: sum('nodejs_heap_size_used_bytes'),
      eventLoopLagP99Seconds: one('nodejs_eventloop_lag_p99_seconds'),
    },
    http: [...httpRows.values()].sort((a, b) => b.requests - a.requests),
    releases: [...releaseRows.values()].sort((a, b) => b.rows - a.rows),
    audit: {
      appends: one('huitong_audit_appends_total'),
      failures: one('huitong_audit_append_failures_total'),
      queueDepth: one('huitong_audit_queue_depth'),
    },
    sandbox: {
      idle: one('huitong_sandbox_processes', { state: 'idle' }),
      busy: one('huitong_sandbox_processes', { state: 'busy' }),
      memoryBytes: one('huitong_sandbox_memory_bytes'),
      starts: one('huitong_sandbox_starts_total', { outcome: 'ok' }),
      startFailures: one('huitong_sandbox_starts_total', { outcome: 'failed' }),
    },
    sources: {
      pools: [...pools.values()],
      errors: all('huitong_source_errors_total').map((s) => ({
        kind: String(s.labels.kind),
        code: String(s.labels.code),
        count: s.value,
      })),
    },
  };
}
