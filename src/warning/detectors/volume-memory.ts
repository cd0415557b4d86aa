import { sql } from 'kysely';
import type { DetectorContext } from './detector.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Rows per upsert statement (3 parameters each, far below PostgreSQL's 65,535). */
const CHUNK = 1000;

/** What the memory holds of one consumer: its hourly counts since `since` and its first hour. */
interface ConsumerHours {
  /** Every hour at or after this one (ms) that has releases is in `hours`. */
  since: number;
  /** The consumer's first hour with releases (stored or seen), or undefined when none yet. */
  first: number | undefined;
  hours: Map<number, number>;
}

/**
 * The hourly release counts of each consumer, in memory: a consumer's recent hours are read from
 * the store once (when the detector first meets it), then counted here; what a batch added is
 * written back in one set-based upsert per thousand hours before the cursor moves. The engine
 * drops the memory whenever the store may have changed behind it (a restart, a rolled-back batch,
 * another process's evaluation), so memory and store never disagree.
 */
export class VolumeMemory {
  private readonly consumers = new Map<string, ConsumerHours>();
  /** What the batch added per `consumer|hour`, not yet in the store. */
  private pending = new Map<string, { consumer: string; hour: number; added: number }>();

  /** Counts a release of `consumer` in `hour`; returns the hour's count so far. */
  async add(ctx: DetectorContext, consumer: string, hour: number, weeks: number): Promise<ConsumerHours> {
    const state = await this.load(ctx, consumer, hour - weeks * WEEK);
    state.hours.set(hour, (state.hours.get(hour) ?? 0) + 1);
    if (state.first === undefined || hour < state.first) state.first = hour;
    const key = `${consumer}|${hour}`;
    const pending = this.pending.get(key);
    if (pending) pending.added++;
    else this.pending.set(key, { consumer, hour, added: 1 });
    return state;
  }

  /** The consumer's hours from `from` on, read from the store when the memory does not reach back that far. */
  private async load(ctx: DetectorContext, consumer: string, from: number): Promise<ConsumerHours> {
    const known = this.consumers.get(consumer);
    if (known && known.since <= from) return known;
    const [rows, first] = await Promise.all([
      ctx.db
        .selectFrom('warning_volumes')
        .select(['hour', 'releases'])
        .where('consumer', '=', consumer)
        .where('hour', '>=', new Date(from))
        .execute(),
      ctx.db
        .selectFrom('warning_volumes')
        .select((eb) => eb.fn.min('hour').as('first'))
        .where('consumer', '=', consumer)
        .executeTakeFirst(),
    ]);
    const hours = new Map<number, number>();
    for (const r of rows) hours.set(r.hour.getTime(), r.releases);
    // What this batch counted is not in the store yet.
    for (const p of this.pending.values())
      if (p.consumer === consumer && p.hour >= from) hours.set(p.hour, (hours.get(p.hour) ?? 0) + p.added);
    let firstHour = first?.first ? new Date(first.first as Date | string).getTime() : undefined;
    for (const h of hours.keys()) if (firstHour === undefined || h < firstHour) firstHour = h;
    const state = { since: from, first: firstHour, hours };
    this.consumers.set(consumer, state);
    return state;
  }

  /** Writes what the batch counted (one upsert per thousand hours) and forgets hours older than any baseline needs. */
  async flush(ctx: Pick<DetectorContext, 'db'>, keepWeeks: number): Promise<void> {
    const touched = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < touched.length; i += CHUNK)
      await ctx.db
        .insertInto('warning_volumes')
        .values(
          touched
            .slice(i, i + CHUNK)
            .map((h) => ({ consumer: h.consumer, hour: new Date(h.hour), releases: h.added })),
        )
        .onConflict((oc) =>
          oc
            .columns(['consumer', 'hour'])
            .doUpdateSet({ releases: sql`warning_volumes.releases + excluded.releases` }),
        )
        .execute();
    for (const state of this.consumers.values()) {
      const latest = Math.max(state.since, ...state.hours.keys());
      const keep = latest - keepWeeks * WEEK;
      if (keep <= state.since) continue;
      for (const h of state.hours.keys()) if (h < keep) state.hours.delete(h);
      state.since = keep;
    }
  }
}

/** The consumer's mean releases in the same hour of the week over the past `weeks` weeks, and its history in weeks. */
export function baselineOf(state: ConsumerHours, hour: number, weeks: number) {
  const firstHour = state.first ?? hour;
  let known = 0;
  let total = 0;
  for (let i = 1; i <= weeks; i++) {
    const h = hour - i * WEEK;
    // Weeks the consumer existed in: an hour it made no release counts as zero, a week before its
    // first release does not count at all.
    if (h < firstHour) continue;
    known++;
    total += state.hours.get(h) ?? 0;
  }
  return { mean: known > 0 ? total / known : 0, historyWeeks: (hour - firstHour) / WEEK };
}
