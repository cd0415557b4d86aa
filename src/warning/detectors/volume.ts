import { sql } from 'kysely';
import type { AuditEntryView } from '../../audit/index.js';
import type { Detector, DetectorContext, Finding } from './detector.js';
import { consumerOf, isRequest } from './entries.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** The consumer's mean releases in the same hour of the week over the past weeks, and its history. */
async function baseline(ctx: DetectorContext, consumer: string, hour: Date) {
  const weeks = ctx.rule.settings.weeks!;
  const hours = Array.from({ length: weeks }, (_, i) => new Date(hour.getTime() - (i + 1) * WEEK));
  const [rows, first] = await Promise.all([
    ctx.db
      .selectFrom('warning_volumes')
      .select(['hour', 'releases'])
      .where('consumer', '=', consumer)
      .where('hour', 'in', hours)
      .execute(),
    ctx.db
      .selectFrom('warning_volumes')
      .select((eb) => eb.fn.min('hour').as('first'))
      .where('consumer', '=', consumer)
      .executeTakeFirst(),
  ]);
  const firstHour = first?.first ? new Date(first.first as Date | string) : hour;
  // Weeks the consumer existed in: an hour it made no release counts as zero, a week before its
  // first release does not count at all.
  const known = hours.filter((h) => h >= startOfHour(firstHour));
  const total = rows.reduce((sum, r) => sum + r.releases, 0);
  return {
    mean: known.length > 0 ? total / known.length : 0,
    historyWeeks: (hour.getTime() - firstHour.getTime()) / WEEK,
  };
}

function startOfHour(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR) * HOUR);
}

/**
 * A consumer's volume far above its own baseline: releases are counted per consumer and hour in
 * the store (warning_volumes, written with the cursor), and the hour's count is compared with the
 * mean of the same hour of the week in the weeks before.
 */
export const volumeAboveBaseline: Detector = {
  rule: 'volume_above_baseline',
  windowMinutes: () => 0,
  async observe(entry: AuditEntryView, ctx: DetectorContext): Promise<Finding[]> {
    if (ctx.quiet || !isRequest(entry)) return [];
    const consumer = consumerOf(entry.actor);
    const hour = startOfHour(new Date(entry.time));
    const counted = await ctx.db
      .insertInto('warning_volumes')
      .values({ consumer, hour, releases: 1 })
      .onConflict((oc) =>
        oc.columns(['consumer', 'hour']).doUpdateSet({ releases: sql`warning_volumes.releases + 1` }),
      )
      .returning('releases')
      .executeTakeFirstOrThrow();
    const { factor, minReleases, minWeeks } = ctx.rule.settings as Record<string, number>;
    if (counted.releases < minReleases!) return [];
    const { mean, historyWeeks } = await baseline(ctx, consumer, hour);
    if (historyWeeks < minWeeks! || counted.releases <= factor! * mean) return [];
    return [
      {
        rule: 'volume_above_baseline',
        subject: consumer,
        subjectOrgId: entry.actor.orgId,
        summary: `${consumer} 本小时调用 ${counted.releases} 次，为同时段基线（${mean.toFixed(1)} 次）的 ${mean > 0 ? (counted.releases / mean).toFixed(1) : '∞'} 倍`,
        entries: [entry.index],
        time: new Date(entry.time),
        details: {
          hour: hour.toISOString(),
          releases: counted.releases,
          baseline: Math.round(mean * 10) / 10,
        },
      },
    ];
  },
};
