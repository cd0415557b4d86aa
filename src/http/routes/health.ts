import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../config/index.js';
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

/** GET /api/health: the platform answers and its store answers. */
export async function healthRoutes(app: App, { store, demo }: AppContext): Promise<void> {
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
}
