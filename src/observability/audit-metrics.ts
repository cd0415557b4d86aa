import { Counter, Gauge, Histogram } from 'prom-client';
import { Providers, registry } from './registry.js';

const appends = new Counter({
  name: 'huitong_audit_appends_total',
  help: 'Audit entries made durable by this process',
  registers: [registry],
});

const failures = new Counter({
  name: 'huitong_audit_append_failures_total',
  help: 'Audit entries whose group commit failed (each refused its request with 503)',
  registers: [registry],
});

const commits = new Histogram({
  name: 'huitong_audit_commit_duration_seconds',
  help: 'Time of one group commit of the audit appender',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [registry],
});

const queues = new Providers<() => number>();

new Gauge({
  name: 'huitong_audit_queue_depth',
  help: 'Audit entries waiting for the next group commit',
  registers: [registry],
  collect() {
    this.set(queues.list().reduce((sum, depth) => sum + depth(), 0));
  },
});

/** Counts one group commit: its entries, whether it committed, and how long it took. */
export function recordAuditCommit(entries: number, ok: boolean, seconds: number): void {
  if (ok) appends.inc(entries);
  else failures.inc(entries);
  commits.observe(seconds);
}

/** Lets the depth gauge read an appender's queue; call the result when the appender closes. */
export function watchAuditQueue(depth: () => number): () => void {
  return queues.add(depth);
}
