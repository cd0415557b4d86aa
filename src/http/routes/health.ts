import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../config/index.js';
import { sandboxHealth } from '../../query/index.js';
import { StoreUnavailableError } from '../../store/index.js';
import type { App, AppContext } from '../types.js';

const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.enum(['pglite', 'postgres']),
  demo: z
    .enum(['loading', 'ready', 'failed', 'off'])
    .describe('the demo province: still loading (first start), ready, failed to load, or not loaded'),
});

const ReadySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({
    server: z.enum(['ok', 'starting', 'draining']),
    store: z.enum(['ok', 'unavailable']),
    audit: z.enum(['ok', 'closed', 'stalled']),
    sandbox: z.enum(['ok', 'scratch_unusable', 'start_failed']),
  }),
});
type Checks = z.infer<typeof ReadySchema>['checks'];

/** An audit commit waiting longer than this (the store hangs, a lock is held) fails readiness. */
const AUDIT_STALL_MS = 10_000;

/**
 * GET /api/health: the platform answers and its store answers. GET /api/health/ready: whether
 * this process should get traffic (the load balancer's check): the store answers, the audit
 * appender takes entries and is not stuck, queries can get a sandbox, and no shutdown has begun.
 */
export async function healthRoutes(app: App, context: AppContext): Promise<void> {
  const { store, audit, query, demo } = context;
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['meta'], summary: 'Liveness and store check', response: { 200: HealthSchema } },
    },
    async () => {
      // The same 503 as every route while the store is away, Retry-After included, and a failed
      // probe here marks it down like any other request's would.
      await sql`select 1`.execute(store.db).catch((error: unknown) => {
        store.availability.report(error);
        throw new StoreUnavailableError(error);
      });
      return { status: 'ok' as const, version: VERSION, database: store.kind, demo: demo?.() ?? 'off' };
    },
  );

  app.get(
    '/api/health/ready',
    {
      // Answers its own 503 with the failed check named, even while the store is away.
      config: { public: true, probe: true },
      schema: {
        tags: ['meta'],
        summary: 'Readiness for load balancers: store, audit appender, query sandbox, shutdown',
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (_request, reply) => {
      const appender = audit.appenderState();
      const sandbox = await sandboxHealth(query.sandbox.scratchRoot);
      const storeAnswers =
        store.availability.up &&
        (await sql`select 1`.execute(store.db).then(
          () => true,
          (error: unknown) => {
            store.availability.report(error);
            return false;
          },
        ));
      const checks: Checks = {
        server: context.draining?.() ? 'draining' : context.ready?.() === false ? 'starting' : 'ok',
        store: storeAnswers ? 'ok' : 'unavailable',
        audit: appender.closed ? 'closed' : appender.oldestWaitMs > AUDIT_STALL_MS ? 'stalled' : 'ok',
        sandbox: sandbox.ok ? 'ok' : (sandbox.reason ?? 'start_failed'),
      };
      const ready = Object.values(checks).every((c) => c === 'ok');
      reply.header('cache-control', 'no-store');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );
}
