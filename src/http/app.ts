import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { StoreUnavailableError } from '../store/index.js';
import { authenticate } from './authenticate.js';
import { registerCompression } from './compression.js';
import { handleError, handleNotFound } from './error-handler.js';
import { registerObservability, tracedHook } from './observability.js';
import { registerOpenApi } from './openapi.js';
import { registerRateLimit } from './rate-limit.js';
import { registerRoutes } from './routes/index.js';
import type { App, AppContext, RouteSummary } from './types.js';
import { registerWeb } from './web.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Builds the HTTP application over an open, migrated store and its audit log. */
export async function buildApp(context: AppContext): Promise<App> {
  const { store, config } = context;
  const app = Fastify({
    logger: {
      level: config.HUITONG_LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
      ...(config.HUITONG_LOG_FILE && { file: config.HUITONG_LOG_FILE }),
    },
    // "incoming request" / "request completed" lines only when asked (HUITONG_LOG_REQUESTS=1).
    logController: new LogController({ disableRequestLogging: !config.HUITONG_LOG_REQUESTS }),
    bodyLimit: config.HUITONG_BODY_LIMIT,
    // X-Forwarded-* believed only when the connection comes from a configured proxy (request.ip
    // keys rate limits, login lockout and audit entries).
    trustProxy: config.HUITONG_TRUSTED_PROXIES.length > 0 ? config.HUITONG_TRUSTED_PROXIES : false,
    // A caller's id is kept when it is sane, so that logs can be followed across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { strict: true } },
    // Errors the router raises before any route (bad URL, over-long path parameter) would
    // otherwise leave in Fastify's own shape, echoing the URL.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  // Every route, for the route table (tests check each for authentication and authorisation).
  const routeTable: RouteSummary[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        public: route.config?.public === true || route.url.startsWith('/api/docs'),
      });
    }
  });
  app.decorate('routeTable', routeTable);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only, unless a route registers another parser: a text body is a 415, not a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  registerObservability(app, context);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });
  // Fail closed while the metadata store is away or not yet prepared: no API request (data above
  // all) is served without the store that authorises and logs it. The console's files still load.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config?.probe) return;
    if (!store.availability.up || context.ready?.() === false) throw new StoreUnavailableError();
  });

  await app.register(cookie);
  await registerCompression(app);
  await registerRateLimit(app, config);
  app.addHook('onRequest', tracedHook('authenticate', authenticate(store)));
  await registerOpenApi(app);
  await registerRoutes(app, context);
  await registerWeb(app);
  return app;
}
