import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../config/index.js';
import { ServiceUnavailableError } from '../../errors/index.js';
import type { App, AppContext } from '../types.js';

const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.enum(['pglite', 'postgres']),
});

/** GET /api/health: the platform answers and its store answers. */
export async function healthRoutes(app: App, { store }: AppContext): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['meta'], summary: 'Liveness and store check', response: { 200: HealthSchema } },
    },
    async () => {
      await sql`select 1`.execute(store.db).catch(() => {
        throw new ServiceUnavailableError('store_unavailable', 'The metadata store does not answer');
      });
      return { status: 'ok' as const, version: VERSION, database: store.kind };
    },
  );
}
