import { Counter, Gauge } from 'prom-client';
import { Providers, registry } from './registry.js';

/** One source connection pool as the gauge sees it. */
export interface SourcePoolFigures {
  source: string;
  kind: string;
  /** Connections open (in use and idle). */
  total: number;
  idle: number;
  /** Checkouts waiting for a connection. */
  waiting: number;
}

const pools = new Providers<() => SourcePoolFigures[]>();

new Gauge({
  name: 'huitong_source_pool_connections',
  help: 'Connections of each source pool, by state (total, idle, waiting for one)',
  labelNames: ['source', 'kind', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const pool of pools.list().flatMap((list) => list())) {
      const labels = { source: pool.source, kind: pool.kind };
      this.set({ ...labels, state: 'total' }, pool.total);
      this.set({ ...labels, state: 'idle' }, pool.idle);
      this.set({ ...labels, state: 'waiting' }, pool.waiting);
    }
  },
});

const errors = new Counter({
  name: 'huitong_source_errors_total',
  help: 'Failed reads of sources, by source kind and error code (source_unreachable, source_busy, …)',
  labelNames: ['kind', 'code'] as const,
  registers: [registry],
});

/** Lets the gauge read the open source pools. */
export function watchSourcePools(list: () => SourcePoolFigures[]): () => void {
  return pools.add(list);
}

/** Counts a failed source read by its stable code. */
export function recordSourceError(kind: string, code: string): void {
  errors.inc({ kind, code });
}
