import { createServer, type Server } from 'node:http';
import { metricsText } from '../observability/index.js';

/**
 * GET /metrics on a port of its own, bound to 127.0.0.1 only (HUITONG_METRICS_PORT): for a
 * Prometheus (or its agent) on the same host, with no token, off the public port. Anything
 * else on that port is a 404.
 */
export async function startMetricsPort(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metricsText().then(
      ({ contentType, body }) =>
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
