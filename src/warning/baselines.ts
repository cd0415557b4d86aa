import { type Kysely, type SqlBool, sql } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { hourOfWeek } from './detectors/entries.js';
import type { BaselineConsumer, BaselineConsumerQuery, ConsumerBaseline } from './schemas.js';
import { loadRuleBook } from './settings.js';

type Db = Kysely<Database>;

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** The hours the baseline chart shows: the last seven days, the current hour last. */
export const BASELINE_HOURS = 7 * 24;

/** Left-joins a consumer column `v.consumer` to its application or person and their organisation. */
const namesOf = {
  application: sql<SqlBool>`v.consumer = 'application:' || a.id`,
  user: sql<SqlBool>`v.consumer = 'user:' || u.id`,
  organization: sql<SqlBool>`o.id = coalesce(a.org_id, u.org_id)`,
};

/**
 * The consumers whose hourly volume the baselines learn, the busiest over the look-back of the
 * volume rule first, found by part of their identifier, name or organisation's name.
 */
export async function baselineConsumers(
  db: Db,
  actor: Actor,
  query: BaselineConsumerQuery,
  now = new Date(),
): Promise<BaselineConsumer[]> {
  authorize(actor, 'warning.read');
  const { weeks } = (await loadRuleBook(db)).volume_above_baseline.settings;
  const since = new Date(now.getTime() - weeks! * WEEK - BASELINE_HOURS * HOUR);
  // Totals per consumer first, then one name lookup per consumer (not per hour).
  const totals = db
    .selectFrom('warning_volumes')
    .select(['consumer', sql<string>`sum(releases)`.as('releases'), sql<Date>`max(hour)`.as('last_hour')])
    .where('hour', '>=', since)
    .groupBy('consumer')
    .as('v');
  let select = db
    .selectFrom(totals)
    .leftJoin('applications as a', (join) => join.on(namesOf.application))
    .leftJoin('users as u', (join) => join.on(namesOf.user))
    .leftJoin('organizations as o', (join) => join.on(namesOf.organization))
    .select([
      'v.consumer',
      sql<string | null>`coalesce(a.name, u.display_name)`.as('name'),
      'o.name as organization',
      'v.releases',
      'v.last_hour',
    ])
    .orderBy(sql`v.releases`, 'desc')
    .orderBy('v.consumer')
    .limit(query.limit);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    select = select.where((eb) =>
      eb.or([
        eb('v.consumer', 'ilike', like),
        eb('a.name', 'ilike', like),
        eb('u.display_name', 'ilike', like),
        eb('o.name', 'ilike', like),
      ]),
    );
  }
  const rows = await select.execute();
  return rows.map((r) => ({
    consumer: r.consumer,
    name: r.name,
    organization: r.organization,
    releases: Number(r.releases),
    lastHour: new Date(r.last_hour).toISOString(),
  }));
}

/** The consumer's application or person by name, and its organisation. */
async function consumerName(db: Db, consumer: string) {
  return db
    .selectFrom(sql<{ consumer: string }>`(SELECT ${consumer}::text AS consumer)`.as('v'))
    .leftJoin('applications as a', (join) => join.on(namesOf.application))
    .leftJoin('users as u', (join) => join.on(namesOf.user))
    .leftJoin('organizations as o', (join) => join.on(namesOf.organization))
    .select([sql<string | null>`coalesce(a.name, u.display_name)`.as('name'), 'o.name as organization'])
    .executeTakeFirst();
}

/**
 * A consumer's last seven days hour by hour against what the volume rule compares each hour with
 * (the detector's own reckoning, src/warning/detectors/volume-memory.ts): the mean of the same
 * hour of the week over the `weeks` weeks before, counting only weeks since the consumer's first
 * release; and the threshold, the fewest releases that open an alert (at least `minReleases`, and
 * above `factor` × the mean), once the consumer has `minWeeks` weeks of history.
 */
export async function consumerBaseline(
  db: Db,
  actor: Actor,
  consumer: string,
  now = new Date(),
): Promise<ConsumerBaseline> {
  authorize(actor, 'warning.read');
  const rule = (await loadRuleBook(db)).volume_above_baseline;
  const { factor, minReleases, weeks, minWeeks } = rule.settings as Record<string, number>;
  const last = Math.floor(now.getTime() / HOUR) * HOUR;
  const from = last - (BASELINE_HOURS - 1) * HOUR;
  const [rows, first, who] = await Promise.all([
    db
      .selectFrom('warning_volumes')
      .select(['hour', 'releases'])
      .where('consumer', '=', consumer)
      .where('hour', '>=', new Date(from - weeks! * WEEK))
      .where('hour', '<=', new Date(last))
      .execute(),
    db
      .selectFrom('warning_volumes')
      .select((eb) => eb.fn.min('hour').as('first'))
      .where('consumer', '=', consumer)
      .executeTakeFirst(),
    consumerName(db, consumer),
  ]);
  const volumes = new Map(rows.map((r) => [new Date(r.hour).getTime(), r.releases]));
  // A consumer that never made a release has no baseline to show.
  if (!first?.first) throw new NotFoundError('Consumer');
  const firstHour = new Date(first.first as Date | string).getTime();
  const hours = Array.from({ length: BASELINE_HOURS }, (_, i) => {
    const hour = from + i * HOUR;
    let known = 0;
    let total = 0;
    for (let w = 1; w <= weeks!; w++) {
      const before = hour - w * WEEK;
      // A week before the consumer's first release does not count; an hour without releases after it is a zero.
      if (before < firstHour) continue;
      known++;
      total += volumes.get(before) ?? 0;
    }
    const mean = known > 0 ? total / known : 0;
    const armed = rule.enabled && (hour - firstHour) / WEEK >= minWeeks!;
    return {
      hour: new Date(hour).toISOString(),
      hourOfWeek: hourOfWeek(new Date(hour)),
      releases: volumes.get(hour) ?? 0,
      baseline: Math.round(mean * 10) / 10,
      // The detector fires on releases >= minReleases and releases > factor × mean.
      threshold: armed ? Math.max(minReleases!, Math.floor(factor! * mean) + 1) : null,
    };
  });
  return {
    consumer,
    name: who?.name ?? null,
    organization: who?.organization ?? null,
    enabled: rule.enabled,
    settings: { factor: factor!, minReleases: minReleases!, weeks: weeks!, minWeeks: minWeeks! },
    firstHour: new Date(firstHour).toISOString(),
    historyWeeks: Math.round(((now.getTime() - firstHour) / WEEK) * 10) / 10,
    hours,
    hoursAbove: hours.filter((h) => h.threshold !== null && h.releases >= h.threshold).length,
  };
}
