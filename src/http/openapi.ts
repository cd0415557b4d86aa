import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { VERSION } from '../config/index.js';
import type { App } from './types.js';

/** Generates the OpenAPI 3.1 document from the route schemas; serves it and interactive docs. */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Huitong (汇通) API',
        version: VERSION,
        description:
          'Data sharing and exchange platform. Authenticate with a session cookie (POST /api/v1/auth/login; ' +
          'echo the CSRF token in X-CSRF-Token on writes) or with `Authorization: Bearer ht_…`. Errors are ' +
          '`{"error": {"code", "message", "details"}}`; lists take `limit` and an opaque `cursor`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An application key, ht_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'ht_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', logLevel: 'warn' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, () => app.swagger());
}
