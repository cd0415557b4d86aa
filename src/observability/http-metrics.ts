import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

const labelNames = ['method', 'route', 'status'] as const;

const requests = new Counter({
  name: 'huitong_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames,
  registers: [registry],
});

// From 5 ms (a cached JSON page) to a minute (a large export streamed to a slow client).
const duration = new Histogram({
  name: 'huitong_http_request_duration_seconds',
  help: 'Time from request to the end of the response (a stream ends with its last byte)',
  labelNames,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

/**
 * Counts one answered request. `route` is the route's pattern (`/api/v1/resources/:code/rows`),
 * never the raw URL: a label per resource code or id would grow without bound.
 */
export function recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
  const labels = { method, route, status: String(status) };
  requests.inc(labels);
  duration.observe(labels, seconds);
}
