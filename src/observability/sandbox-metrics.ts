import { Counter, Gauge } from 'prom-client';
import { Providers, registry } from './registry.js';

/** One live sandbox child as the gauges see it. */
export interface SandboxChild {
  busy: boolean;
  /** Resident set in bytes, undefined when it cannot be read. */
  rss(): Promise<number | undefined>;
}

const children = new Providers<() => Iterable<SandboxChild>>();
const all = () => children.list().flatMap((list) => [...list()]);

new Gauge({
  name: 'huitong_sandbox_processes',
  help: 'DuckDB sandbox child processes alive, idle (warm in the pool) or busy (serving a query)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const live = all();
    const busy = live.filter((c) => c.busy).length;
    this.set({ state: 'busy' }, busy);
    this.set({ state: 'idle' }, live.length - busy);
  },
});

new Gauge({
  name: 'huitong_sandbox_memory_bytes',
  help: 'Resident memory of all sandbox child processes together',
  registers: [registry],
  async collect() {
    const sizes = await Promise.all(all().map((c) => c.rss()));
    this.set(sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0));
  },
});

const starts = new Counter({
  name: 'huitong_sandbox_starts_total',
  help: 'Sandbox child processes started, by outcome (ok, failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Lets the gauges list the live sandbox children. */
export function watchSandboxes(list: () => Iterable<SandboxChild>): () => void {
  return children.add(list);
}

/** Counts a child's start. */
export function recordSandboxStart(ok: boolean): void {
  starts.inc({ outcome: ok ? 'ok' : 'failed' });
}
