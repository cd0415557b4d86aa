import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  activeContext,
  contextWith,
  endSpan,
  REQUEST_ID_ATTRIBUTE,
  recordHttpRequest,
  runIn,
  type Span,
  startProcessMetrics,
  startSpan,
  traced,
  watchStore,
} from '../observability/index.js';
import type { App, AppContext } from './types.js';

const spans = new WeakMap<FastifyRequest, Span>();

// The route's pattern, never the raw URL (a label per id would grow without bound); requests that
// matched no route share one label.
const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/**
 * Metrics and spans of every request: a server span per request (named by method and route, with
 * the request id), the active context inside each handler so that query/'s stage spans find it,
 * and the request counter and latency histogram when the response ends. Registered before any
 * route (the handlers are wrapped as they are added).
 */
export function registerObservability(app: App, { store }: AppContext): void {
  startProcessMetrics();
  const unwatch = watchStore(() => store.availability.up);
  app.addHook('onClose', async () => unwatch());

  app.decorateRequest('traceContext', undefined as never);
  app.addHook('onRequest', async (request) => {
    const route = routeOf(request);
    const span = startSpan(`${request.method} ${route}`, {
      attributes: {
        [REQUEST_ID_ATTRIBUTE]: String(request.id),
        'http.request.method': request.method,
        'http.route': route,
      },
    });
    spans.set(request, span);
    request.traceContext = contextWith(span, activeContext());
  });
  app.addHook('onResponse', async (request, reply) => {
    recordHttpRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    endSpan(span, reply.statusCode >= 500 ? new Error(`HTTP ${reply.statusCode}`) : undefined);
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      return runIn(request.traceContext ?? activeContext(), () =>
        handler.call(this as never, request, reply),
      );
    } as typeof route.handler;
  });
}

/** An onRequest hook run in a span of its own under the request's (authentication). */
export function tracedHook(
  name: string,
  hook: (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return (request, reply) => traced(name, () => hook(request, reply), { parent: request.traceContext });
}
