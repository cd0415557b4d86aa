import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { GrantSide } from './grants.js';
import { visibleGrantRow } from './grants.js';
import { presentUsage, quotaOf } from './presenters.js';
import type { UsageView } from './schemas.js';
import { shanghaiDay } from './shanghai-day.js';

type Db = Kysely<Database>;

/** An inclusive range of Asia/Shanghai days, at most a year long. */
export interface DayRange {
  from?: string;
  to?: string;
}

function days(range: DayRange): { from: string; to: string } {
  const to = range.to ?? shanghaiDay(new Date());
  const from = range.from ?? shanghaiDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (!(span >= 0 && span <= 366)) {
    throw new BadRequestError('invalid_range', 'from must not be after to, and the range at most a year');
  }
  return { from, to };
}

/** The daily usage of one grant the actor may see (either side), last 30 days by default. */
export async function grantUsage(
  db: Db,
  actor: Actor,
  grantId: string,
  range: DayRange = {},
): Promise<UsageView[]> {
  const grant = await visibleGrantRow(db, actor, grantId);
  const { from, to } = days(range);
  const rows = await db
    .selectFrom('grant_usage')
    .selectAll()
    .where('grant_id', '=', grantId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
  return rows.map((r) => presentUsage(r, quotaOf(grant)));
}

/** The daily usage of every grant the caller's organisation holds (consumer) or gave (provider). */
export async function organizationUsage(
  db: Db,
  actor: Actor,
  side: GrantSide,
  range: DayRange = {},
): Promise<UsageView[]> {
  const caller = authorize(actor, 'grant.read');
  const { from, to } = days(range);
  let query = db
    .selectFrom('grant_usage')
    .innerJoin('grants', 'grants.id', 'grant_usage.grant_id')
    .selectAll('grant_usage')
    .select(['grants.calls_per_day', 'grants.rows_per_day'])
    .where(side === 'consumer' ? 'grants.consumer_org_id' : 'grants.provider_id', '=', caller.orgId)
    .where('grant_usage.day', '>=', from)
    .where('grant_usage.day', '<=', to)
    .orderBy('grant_usage.day')
    .orderBy('grant_usage.grant_id')
    .limit(10_000);
  if (side === 'consumer' && caller.kind === 'application') {
    query = query.where('grants.application_id', '=', caller.applicationId);
  }
  const rows = await query.execute();
  return rows.map((r) =>
    presentUsage(
      r,
      r.calls_per_day !== null && r.rows_per_day !== null
        ? { callsPerDay: r.calls_per_day, rowsPerDay: r.rows_per_day }
        : null,
    ),
  );
}
