import { z } from 'zod';
import { organizationUsage, UsageSchema } from '../../../sharing/index.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { DayRangeQuery } from './params.js';

const tags = ['sharing: grants'];

/** Usage per grant per day, for the consumer (what it used) and the provider (what was used of its data). */
export async function usageRoutes(app: App, { store }: AppContext): Promise<void> {
  app.get(
    '/api/v1/usage',
    {
      schema: {
        tags,
        summary: 'Daily usage of your organisation’s grants, as consumer or as provider',
        querystring: DayRangeQuery.extend({ side: z.enum(['consumer', 'provider']).default('consumer') }),
        response: { 200: z.object({ items: z.array(UsageSchema) }), ...refusals },
      },
    },
    async (request) => {
      const { side, ...range } = request.query;
      return { items: await organizationUsage(store.db, request.actor, side, range) };
    },
  );
}
