import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one metrics registry. Module-level on purpose: the recorders are called from deep
 * inside the domain modules (the audit appender, the release pipeline), which must not be handed
 * an HTTP object to count with; every app built in this process exposes the same figures.
 */
export const registry = new Registry();

let processMetrics = false;

/** Starts Node's default process metrics (CPU, memory, event loop lag, GC) once per process. */
export function startProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/** The whole registry in the Prometheus text exposition format, and its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** A set of live providers whose figures a gauge sums at scrape time; `add` returns the removal. */
export class Providers<T> {
  private readonly all = new Set<T>();

  add(provider: T): () => void {
    this.all.add(provider);
    return () => {
      this.all.delete(provider);
    };
  }

  list(): T[] {
    return [...this.all];
  }
}
