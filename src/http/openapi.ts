import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { VERSION } from '../config/index.js';
import { openApiTransform } from './openapi-operations.js';
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
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Relative: the document is served by the platform it describes, at whatever address and
      // behind whatever proxy it is reached (clients resolve `/` against the document's URL).
      servers: [{ url: '/', description: 'This platform' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An application key, ht_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'ht_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', logLevel: 'warn' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, () => app.swagger());
}
