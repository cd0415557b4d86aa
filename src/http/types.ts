import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Actor } from '../identity/index.js';
import type { Context } from '../observability/index.js';
import type { QueryContext } from '../query/index.js';
import type { SourceRuntime } from '../sources/index.js';
import type { Store } from '../store/index.js';
import type { AlertPublisher } from '../warning/index.js';

/** What every route can reach: the store, the audit log and the configuration. */
export interface AppContext {
  store: Store;
  audit: AuditLog;
  config: Config;
  /** Source credentials key, limits and connection pools (management routes). */
  sources: SourceRuntime;
  /** The data path. */
  query: QueryContext;
  /** False while the server prepares its store (migrations, recovery): every API request is a 503. */
  ready?: () => boolean;
  /** Where the demo province is (GET /api/health): still loading on a first start, ready, failed, or off. */
  demo?: () => DemoStatus;
  /** True once a shutdown began: the readiness check answers 503 so that load balancers move away. */
  draining?: () => boolean;
  /** Where alerts' lifecycle changes are published (NATS, HUITONG_WARNING_NATS_URL), when set. */
  warningPublisher?: AlertPublisher;
}

/** The demo's state as /api/health reports it. */
export type DemoStatus = 'loading' | 'ready' | 'failed' | 'off';

/** The Fastify instance with zod schemas as its type provider. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A route as the route table lists it. */
export interface RouteSummary {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order. */
    routeTable: RouteSummary[];
  }
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook before anything else runs. */
    actor: Actor;
    /** The CSRF token of the caller's session, when it authenticated with a cookie. */
    sessionCsrf?: string;
    /** The request's trace context (its span as parent), for the spans of its stages. */
    traceContext: Context;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (the actor may still be resolved when present). */
    public?: boolean;
    /** Checks its own credentials (GET /metrics: a Bearer token that is no API key). */
    ownCredentials?: boolean;
    /** A load balancer's probe: answers its own 503 with the checks, even while the store is away. */
    probe?: boolean;
  }
}
