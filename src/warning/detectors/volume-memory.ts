import { sql } from 'kysely';
import type { DetectorContext } from './detector.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Consumers per read: far below PostgreSQL's 65,535 parameters. */
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
 * the store once (when a batch first meets it: one query per thousand consumers, in `prepare`),
 * then counted here; what a batch added is written back in one set-based upsert before the
 * cursor moves. The engine drops the memory whenever the store may have changed
 * behind it (a restart, a rolled-back batch, another process's evaluation), so memory and store
 * never disagree.
 */
export class VolumeMemory {
  private readonly consumers = new Map<string, ConsumerHours>();
  /** What the batch added per `consumer|hour`, not yet in the store. */
  private pending = new Map<string, { consumer: string; hour: number; added: number }>();

  /**
   * Reads from the store the hours of each consumer from the given hour (ms) on, when the memory
   * does not reach back that far: one query per thousand consumers, and one for their first hours.
   */
  async prepare(ctx: Pick<DetectorContext, 'db'>, wanted: ReadonlyMap<string, number>): Promise<void> {
    const stale = [...wanted].filter(([consumer, from]) => {
      const known = this.consumers.get(consumer);
      return !known || known.since > from;
    });
    if (stale.length === 0) return;
    // What this batch counted is not in the store yet.
    const pendingOf = new Map<string, { hour: number; added: number }[]>();
    for (const p of this.pending.values()) {
      const list = pendingOf.get(p.consumer) ?? [];
      list.push(p);
      pendingOf.set(p.consumer, list);
    }
    for (let i = 0; i < stale.length; i += CHUNK) {
      const chunk = stale.slice(i, i + CHUNK);
      const names = chunk.map(([consumer]) => consumer);
      const earliest = Math.min(...chunk.map(([, from]) => from));
      const [rows, firsts] = await Promise.all([
        ctx.db
          .selectFrom('warning_volumes')
          .select(['consumer', 'hour', 'releases'])
          .where('consumer', 'in', names)
          .where('hour', '>=', new Date(earliest))
          .execute(),
        ctx.db
          .selectFrom('warning_volumes')
          .select((eb) => ['consumer', eb.fn.min('hour').as('first')])
          .where('consumer', 'in', names)
          .groupBy('consumer')
          .execute(),
      ]);
      const stored = new Map<string, { hour: number; releases: number }[]>();
      for (const r of rows) {
        const list = stored.get(r.consumer) ?? [];
        list.push({ hour: r.hour.getTime(), releases: r.releases });
        stored.set(r.consumer, list);
      }
      const first = new Map(firsts.map((f) => [f.consumer, new Date(f.first as Date | string).getTime()]));
      for (const [consumer, from] of chunk) {
        const hours = new Map<number, number>();
        for (const r of stored.get(consumer) ?? []) if (r.hour >= from) hours.set(r.hour, r.releases);
        for (const p of pendingOf.get(consumer) ?? [])
          if (p.hour >= from) hours.set(p.hour, (hours.get(p.hour) ?? 0) + p.added);
        let firstHour = first.get(consumer);
        for (const h of hours.keys()) if (firstHour === undefined || h < firstHour) firstHour = h;
        this.consumers.set(consumer, { since: from, first: firstHour, hours });
      }
    }
  }

  /** Counts a release of `consumer` in `hour` (its hours read by `prepare`); returns its hours so far. */
  add(consumer: string, hour: number): ConsumerHours {
    const state = this.consumers.get(consumer);
    if (!state) throw new Error(`the volumes of ${consumer} were not read before its releases`);
    state.hours.set(hour, (state.hours.get(hour) ?? 0) + 1);
    if (state.first === undefined || hour < state.first) state.first = hour;
    const key = `${consumer}|${hour}`;
    const pending = this.pending.get(key);
    if (pending) pending.added++;
    else this.pending.set(key, { consumer, hour, added: 1 });
    return state;
  }

  /** Writes what the batch counted (one upsert) and forgets hours older than any baseline needs. */
  async flush(ctx: Pick<DetectorContext, 'db'>, keepWeeks: number): Promise<void> {
    const touched = [...this.pending.values()];
    this.pending = new Map();
    // Three arrays, not three parameters a row (building and parsing thousands of placeholders
    // cost more than the upsert itself); hours as epoch seconds, cheaper to pass than timestamps.
    if (touched.length > 0)
      await sql`INSERT INTO warning_volumes (consumer, hour, releases)
        SELECT consumer, to_timestamp(hour), releases FROM unnest(
          ${touched.map((h) => h.consumer)}::text[],
          ${touched.map((h) => h.hour / 1000)}::int8[],
          ${touched.map((h) => h.added)}::int4[]) AS t(consumer, hour, releases)
        ON CONFLICT (consumer, hour) DO UPDATE SET releases = warning_volumes.releases + excluded.releases`.execute(
        ctx.db,
      );
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
