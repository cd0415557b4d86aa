import { Counter } from 'prom-client';
import { registry } from './registry.js';

const releases = new Counter({
  name: 'huitong_releases_total',
  help: 'Releases of data completed, by resource code, format and outcome (complete, aborted, failed)',
  labelNames: ['resource', 'format', 'status'] as const,
  registers: [registry],
});

const rows = new Counter({
  name: 'huitong_release_rows_total',
  help: 'Rows released, by resource code and format',
  labelNames: ['resource', 'format'] as const,
  registers: [registry],
});

const bytes = new Counter({
  name: 'huitong_release_bytes_total',
  help: 'Bytes of response bodies released, by resource code and format',
  labelNames: ['resource', 'format'] as const,
  registers: [registry],
});

/** What a release's completion entry recorded. */
export interface ReleaseFigures {
  resources: readonly string[];
  format: string;
  status: string;
  rows: number;
  bytes: number;
}

/**
 * Counts a completed release, once per resource it read: a query across two resources counts its
 * rows and bytes under each (what each provider's data took part in), so sums across resources
 * can exceed what left.
 */
export function recordRelease(figures: ReleaseFigures): void {
  const resources = figures.resources.length > 0 ? figures.resources : ['none'];
  for (const resource of resources) {
    const labels = { resource, format: figures.format };
    releases.inc({ ...labels, status: figures.status });
    if (figures.rows > 0) rows.inc(labels, figures.rows);
    if (figures.bytes > 0) bytes.inc(labels, figures.bytes);
  }
}
