import { api } from './client.js';

/** The figures of /metrics as GET /api/v1/admin/metrics gives them (src/observability/snapshot.ts). */
export interface MetricsView {
  collectedAt: string;
  store: { up: boolean };
  process: {
    uptimeSeconds: number;
    cpuSeconds: number;
    residentMemoryBytes: number;
    heapUsedBytes: number;
    eventLoopLagP99Seconds: number;
  };
  http: Array<{
    method: string;
    route: string;
    status: string;
    requests: number;
    durationSecondsSum: number;
    p50Seconds: number | null;
    p95Seconds: number | null;
  }>;
  releases: Array<{ resource: string; format: string; releases: number; rows: number; bytes: number }>;
  audit: { appends: number; failures: number; queueDepth: number };
  sandbox: { idle: number; busy: number; memoryBytes: number; starts: number; startFailures: number };
  sources: {
    pools: Array<{ source: string; kind: string; total: number; idle: number; waiting: number }>;
    errors: Array<{ kind: string; code: string; count: number }>;
  };
}

export const operationsApi = {
  metrics: () => api.get<MetricsView>('/api/v1/admin/metrics'),
};
