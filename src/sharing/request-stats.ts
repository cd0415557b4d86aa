import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { AccessRequestStatusSchema } from './vocab.js';

/** Whose requests to count: the platform's, or those of the caller's organisation on one side. */
export const StatsScopeSchema = z.enum(['platform', 'provider', 'consumer']);
export type StatsScope = z.infer<typeof StatsScopeSchema>;

const Hours = z.number().nullable().describe('hours; null when none was decided');

/** Approval figures: requests by status, and how long a decision took (filing to the last step). */
export const RequestStatsSchema = z.object({
  scope: StatsScopeSchema,
  // Spelt out (not z.record over the enum): the document then names each property it requires.
  byStatus: z.object({
    pending: z.number().int(),
    approved: z.number().int(),
    partially_approved: z.number().int(),
    rejected: z.number().int(),
    withdrawn: z.number().int(),
  }) satisfies z.ZodType<Record<z.infer<typeof AccessRequestStatusSchema>, number>>,
  decided: z.object({
    count: z.number().int(),
    medianHours: Hours,
    meanHours: Hours,
    p90Hours: Hours,
  }),
  approved: z.object({ count: z.number().int(), medianHours: Hours, meanHours: Hours }),
  pending: z.object({
    count: z.number().int(),
    oldestWaitingSince: z.string().nullable().describe('since when the longest-waiting request waits'),
  }),
});
export type RequestStats = z.infer<typeof RequestStatsSchema>;

const hours = (seconds: unknown) =>
  seconds === null || seconds === undefined ? null : Number(seconds) / 3600;
const round = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10);

/**
 * GET /access-requests/stats: counts and durations only (no request, party or resource named),
 * so any signed-in member may read the platform's; `provider`/`consumer` narrow to the caller's
 * organisation on that side. A decision's time runs from filing to the last step's action.
 */
export async function requestStats(
  db: Kysely<Database>,
  actor: Actor,
  scope: StatsScope,
): Promise<RequestStats> {
  const caller = authorize(actor, 'access_request.stats');
  const own = scope === 'platform' ? undefined : scope === 'provider' ? 'provider_id' : 'consumer_org_id';
  let counts = db
    .selectFrom('access_requests')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status');
  if (own) counts = counts.where(own, '=', caller.orgId);
  const byStatus = Object.fromEntries(
    AccessRequestStatusSchema.options.map((s) => [s, 0]),
  ) as RequestStats['byStatus'];
  for (const row of await counts.execute())
    if (row.status in byStatus) byStatus[row.status as keyof typeof byStatus] = Number(row.n);

  const durations = (statuses: string[]) => {
    let inner = db
      .selectFrom('access_requests as r')
      .innerJoin('access_request_steps as s', 's.request_id', 'r.id')
      .select(sql<number>`extract(epoch from (max(s.acted_at) - r.created_at))`.as('d'))
      .where('r.status', 'in', statuses)
      .where('s.acted_at', 'is not', null)
      .groupBy(['r.id', 'r.created_at']);
    if (own) inner = inner.where(`r.${own}`, '=', caller.orgId);
    return db
      .selectFrom(inner.as('x'))
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<string | null>`avg(x.d)`.as('mean'),
        sql<number | null>`percentile_cont(0.5) within group (order by x.d)`.as('median'),
        sql<number | null>`percentile_cont(0.9) within group (order by x.d)`.as('p90'),
      ])
      .executeTakeFirstOrThrow();
  };
  const [decided, approved] = await Promise.all([
    durations(['approved', 'partially_approved', 'rejected']),
    durations(['approved', 'partially_approved']),
  ]);
  let waiting = db
    .selectFrom('access_requests')
    .select(sql<Date | null>`min(waiting_since)`.as('oldest'))
    .where('status', '=', 'pending');
  if (own) waiting = waiting.where(own, '=', caller.orgId);
  const oldest = (await waiting.executeTakeFirst())?.oldest ?? null;
  return {
    scope,
    byStatus,
    decided: {
      count: Number(decided.count),
      medianHours: round(hours(decided.median)),
      meanHours: round(hours(decided.mean)),
      p90Hours: round(hours(decided.p90)),
    },
    approved: {
      count: Number(approved.count),
      medianHours: round(hours(approved.median)),
      meanHours: round(hours(approved.mean)),
    },
    pending: {
      count: byStatus.pending ?? 0,
      oldestWaitingSince: oldest ? new Date(oldest).toISOString() : null,
    },
  };
}
