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
  const known = hours.filter((h) => h >= firstHour);
  const total = rows.reduce((sum, r) => sum + r.releases, 0);
  return {
    mean: known.length > 0 ? total / known.length : 0,
    historyWeeks: (hour.getTime() - firstHour.getTime()) / WEEK,
  };
}

/** One consumer's hour as the batch sees it: the stored count, what the batch added, its baseline. */
interface HourCount {
  consumer: string;
  hour: Date;
  stored: number;
  added: number;
  baseline?: { mean: number; historyWeeks: number };
}

/**
 * A consumer's volume far above its own baseline: releases are counted per consumer and hour in
 * the store (warning_volumes, written with the cursor at the end of each batch), and the hour's
 * count is compared with the mean of the same hour of the week in the weeks before.
 */
export function volumeAboveBaseline(): Detector {
  // The hours the current batch touched; flushed to the store before the cursor moves.
  let hours = new Map<string, HourCount>();
  const countOf = async (ctx: DetectorContext, consumer: string, hour: Date): Promise<HourCount> => {
    const key = `${consumer}|${hour.getTime()}`;
    let count = hours.get(key);
    if (!count) {
      const row = await ctx.db
        .selectFrom('warning_volumes')
        .select('releases')
        .where('consumer', '=', consumer)
        .where('hour', '=', hour)
        .executeTakeFirst();
      count = { consumer, hour, stored: row?.releases ?? 0, added: 0 };
      hours.set(key, count);
    }
    return count;
  };
  return {
    rule: 'volume_above_baseline',
    windowMinutes: () => 0,
    async observe(entry: AuditEntryView, ctx: DetectorContext): Promise<Finding[]> {
      if (ctx.quiet || !isRequest(entry)) return [];
      const consumer = consumerOf(entry.actor);
      const hour = new Date(Math.floor(new Date(entry.time).getTime() / HOUR) * HOUR);
      const count = await countOf(ctx, consumer, hour);
      count.added++;
      const releases = count.stored + count.added;
      const { factor, minReleases, minWeeks } = ctx.rule.settings as Record<string, number>;
      if (releases < minReleases!) return [];
      count.baseline ??= await baseline(ctx, consumer, hour);
      const { mean, historyWeeks } = count.baseline;
      if (historyWeeks < minWeeks! || releases <= factor! * mean) return [];
      const times = mean > 0 ? (releases / mean).toFixed(1) : '∞';
      return [
        {
          rule: 'volume_above_baseline',
          subject: consumer,
          subjectOrgId: entry.actor.orgId,
          summary: `${consumer} 本小时调用 ${releases} 次，为同时段基线（${mean.toFixed(1)} 次）的 ${times} 倍`,
          entries: [entry.index],
          time: new Date(entry.time),
          details: { hour: hour.toISOString(), releases, baseline: Math.round(mean * 10) / 10 },
        },
      ];
    },
    async flush(ctx) {
      const touched = [...hours.values()].filter((h) => h.added > 0);
      hours = new Map();
      for (const h of touched)
        await ctx.db
          .insertInto('warning_volumes')
          .values({ consumer: h.consumer, hour: h.hour, releases: h.added })
          .onConflict((oc) =>
            oc
              .columns(['consumer', 'hour'])
              .doUpdateSet({ releases: sql`warning_volumes.releases + ${h.added}` }),
          )
          .execute();
    },
  };
}
