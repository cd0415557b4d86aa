import { UnauthorizedError } from '../../errors/index.js';
import { authorize, sameSecret } from '../../identity/index.js';
import { MetricsViewSchema, metricsSnapshot, metricsText } from '../../observability/index.js';
import type { App, AppContext } from '../types.js';
import { refusals } from './schemas.js';

/**
 * GET /metrics (Prometheus text format): a 404 unless HUITONG_METRICS_TOKEN is set, then only for
 * a request that carries it as a Bearer token; and GET /api/v1/admin/metrics, the same figures as
 * JSON for the administrator's console. (HUITONG_METRICS_PORT serves /metrics off this port: see
 * src/server/metrics-port.ts.)
 */
export async function metricsRoutes(app: App, { config }: AppContext): Promise<void> {
  const token = config.HUITONG_METRICS_TOKEN;
  app.get(
    '/metrics',
    {
      // Its own credentials: the scrape token is no API key, and no actor is resolved from it.
      config: { public: true, ownCredentials: true },
      schema: { hide: true },
    },
    async (request, reply) => {
      // Without a token it is not there (rather than the console's page, which /* would serve).
      if (token === undefined) return reply.callNotFound();
      const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      if (sent === undefined || !sameSecret(sent, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new UnauthorizedError('The metrics token is missing or wrong', 'unauthenticated');
      }
      const { contentType, body } = await metricsText();
      return reply.header('cache-control', 'no-store').type(contentType).send(body);
    },
  );

  app.get(
    '/api/v1/admin/metrics',
    {
      schema: {
        tags: ['meta'],
        summary:
          'The figures of /metrics as JSON (system administrators): requests, releases, audit, sandbox, sources',
        response: { 200: MetricsViewSchema, ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'metrics.read');
      return metricsSnapshot();
    },
  );
}
