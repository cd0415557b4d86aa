import { type Kysely, sql } from 'kysely';
import { TooManyRequestsError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { Access } from './access.js';
import { secondsToNextDay, shanghaiDay } from './shanghai-day.js';

type Db = Kysely<Database>;

/** What a call consumed. */
export interface UsageCharge {
  calls: number;
  rows: number;
}

/** What is left of today's quota; null where there is no limit. */
export interface QuotaLeft {
  day: string;
  /** Today's use so far, read only when a quota applies (else 0: nothing needs it). */
  calls: number;
  rows: number;
  callsLeft: number | null;
  rowsLeft: number | null;
}

const exhausted = (what: string, now: Date) =>
  new TooManyRequestsError(
    `The grant's daily ${what} quota is exhausted; it resets at midnight, Beijing time`,
    secondsToNextDay(now),
    'quota_exhausted',
  );

async function usedToday(db: Db, grantId: string, day: string): Promise<UsageCharge> {
  const row = await db
    .selectFrom('grant_usage')
    .select(['calls', 'row_count'])
    .where('grant_id', '=', grantId)
    .where('day', '=', day)
    .executeTakeFirst();
  return { calls: Number(row?.calls ?? 0), rows: Number(row?.row_count ?? 0) };
}

/**
 * Refuses (429 `quota_exhausted`, Retry-After until the next Asia/Shanghai midnight) before a
 * query runs when today's calls or rows are used up; otherwise says what is left, so the query
 * can cap its rows. Accesses without a grant or quota always pass.
 */
export async function checkQuota(db: Db, access: Access, now = new Date()): Promise<QuotaLeft> {
  const day = shanghaiDay(now);
  const quota = access.quota;
  // Without a quota there is nothing to check: the hot path skips the read.
  if (access.grantId === null || !quota) return { day, calls: 0, rows: 0, callsLeft: null, rowsLeft: null };
  const used = await usedToday(db, access.grantId, day);
  if (used.calls >= quota.callsPerDay) throw exhausted('call', now);
  if (used.rows >= quota.rowsPerDay) throw exhausted('row', now);
  return {
    day,
    ...used,
    callsLeft: quota.callsPerDay - used.calls,
    rowsLeft: quota.rowsPerDay - used.rows,
  };
}

/**
 * Adds a call's usage to today's counters of its grant, atomically (one INSERT … ON CONFLICT DO
 * UPDATE … WHERE, the same on PGlite and PostgreSQL). All or nothing: when the charge would pass
 * a quota nothing is counted and it throws 429 `quota_exhausted`. Returns today's new totals.
 */
export async function chargeUsage(
  db: Db,
  access: Access,
  charge: UsageCharge,
  now = new Date(),
): Promise<UsageCharge> {
  const day = shanghaiDay(now);
  if (access.grantId === null) return { calls: 0, rows: 0 };
  const quota = access.quota;
  const calls = Math.max(0, Math.trunc(charge.calls));
  const rows = Math.max(0, Math.trunc(charge.rows));
  if (quota && calls > quota.callsPerDay) throw exhausted('call', now);
  if (quota && rows > quota.rowsPerDay) throw exhausted('row', now);
  const upsert = db
    .insertInto('grant_usage')
    .values({ grant_id: access.grantId, day, calls, row_count: rows })
    .onConflict((oc) => {
      const update = oc.columns(['grant_id', 'day']).doUpdateSet({
        calls: sql`grant_usage.calls + excluded.calls`,
        row_count: sql`grant_usage.row_count + excluded.row_count`,
      });
      return quota
        ? update.where(
            sql<boolean>`grant_usage.calls + excluded.calls <= ${quota.callsPerDay} and grant_usage.row_count + excluded.row_count <= ${quota.rowsPerDay}`,
          )
        : update;
    })
    .returning(['calls', 'row_count']);
  const row = await upsert.executeTakeFirst();
  if (!row) {
    const used = await usedToday(db, access.grantId, day);
    throw exhausted(quota && used.calls + calls > quota.callsPerDay ? 'call' : 'row', now);
  }
  return { calls: Number(row.calls), rows: Number(row.row_count) };
}

/** Rows (and a call) taken from today's quota before a delivery; settle it with what was sent. */
export interface UsageReservation {
  day: string;
  calls: number;
  /** Rows the delivery may send: at most what was asked and what the quota had left; null: no limit. */
  rows: number | null;
  /** Whether `rows` were counted up front (then the unsent ones are given back when settled). */
  held: boolean;
}

/**
 * Takes a call and up to `rows` rows (`Infinity`: all that is left) from today's quota before a
 * delivery starts, atomically: the counter row is locked, so simultaneous deliveries together
 * never take more than the quota. Refuses 429
 * `quota_exhausted` when no call or no row is left. Grants without a quota are charged the call
 * now and their rows when settled, for the usage report.
 */
export async function reserveUsage(
  db: Db,
  access: Access,
  want: { calls: number; rows: number },
  now = new Date(),
): Promise<UsageReservation> {
  const day = shanghaiDay(now);
  const calls = Math.max(0, Math.trunc(want.calls));
  const asked = Number.isFinite(want.rows) ? Math.max(0, Math.trunc(want.rows)) : Number.POSITIVE_INFINITY;
  const quota = access.quota;
  if (access.grantId === null) return { day, calls: 0, rows: null, held: false };
  if (!quota) {
    await chargeUsage(db, access, { calls, rows: 0 }, now);
    return { day, calls, rows: null, held: false };
  }
  const grantId = access.grantId;
  // Whatever is asked, no more than the day's quota can be taken: a finite bound for the SQL.
  const bounded = Math.min(asked, quota.rowsPerDay);
  let taken = await takeFromQuota(db, grantId, day, calls, bounded, quota);
  if (taken === undefined) {
    // The first call of the day: its counter row is made once, then taken from as any other.
    await db
      .insertInto('grant_usage')
      .values({ grant_id: grantId, day, calls: 0, row_count: 0 })
      .onConflict((oc) => oc.columns(['grant_id', 'day']).doNothing())
      .execute();
    taken = await takeFromQuota(db, grantId, day, calls, bounded, quota);
  }
  if (taken === undefined || taken.rows === null) {
    const used = taken?.used ?? { calls: 0, rows: 0 };
    throw exhausted(used.calls + calls > quota.callsPerDay ? 'call' : 'row', now);
  }
  return { day, calls, rows: taken.rows, held: true };
}

/**
 * Takes a call and up to `want` rows from the day's counter in ONE statement (one round trip, its
 * own transaction): `cur` locks the counter row (FOR UPDATE, so it sees the latest committed
 * counts, and a simultaneous taker waits for this one), and the UPDATE takes what is left. Undefined
 * when the day has no counter row yet; `rows: null` when the call or the rows would pass the quota
 * (nothing is taken then), with the counts as they were.
 */
async function takeFromQuota(
  db: Db,
  grantId: string,
  day: string,
  calls: number,
  want: number,
  quota: { callsPerDay: number; rowsPerDay: number },
): Promise<{ rows: number | null; used: UsageCharge } | undefined> {
  const { rows } = await sql<{
    calls: string | number | null;
    row_count: string | number | null;
    taken: string | number | null;
  }>`
    WITH cur AS (
      SELECT calls, row_count FROM grant_usage WHERE grant_id = ${grantId} AND day = ${day} FOR UPDATE
    ), upd AS (
      UPDATE grant_usage AS g
      SET calls = g.calls + ${calls}::int8,
          row_count = g.row_count + least(${want}::int8, ${quota.rowsPerDay}::int8 - cur.row_count)
      FROM cur
      WHERE g.grant_id = ${grantId} AND g.day = ${day}
        AND cur.calls + ${calls}::int8 <= ${quota.callsPerDay}::int8
        AND (${want}::int8 = 0 OR cur.row_count < ${quota.rowsPerDay}::int8)
      RETURNING greatest(0, least(${want}::int8, ${quota.rowsPerDay}::int8 - cur.row_count)) AS taken
    )
    SELECT (SELECT calls FROM cur) AS calls, (SELECT row_count FROM cur) AS row_count,
      (SELECT taken FROM upd) AS taken`.execute(db);
  const row = rows[0];
  if (!row || row.calls === null) return undefined;
  return {
    rows: row.taken === null ? null : Number(row.taken),
    used: { calls: Number(row.calls), rows: Number(row.row_count) },
  };
}

/**
 * What settling `reservation` with `sent` rows changes, as one adjustment of a day's counter (to
 * be written with the release's completion entry, audit's UsageAdjustment), or null when nothing
 * changes: the unsent reserved rows given back, or a quota-free grant's rows charged.
 */
export function settlement(
  access: Access,
  reservation: UsageReservation,
  sent: number,
  now = new Date(),
): { grantId: string; day: string; rows: number } | null {
  if (access.grantId === null) return null;
  const rows = Math.max(0, Math.trunc(sent));
  if (!reservation.held) return rows > 0 ? { grantId: access.grantId, day: shanghaiDay(now), rows } : null;
  const unsent = (reservation.rows ?? 0) - rows;
  return unsent > 0 ? { grantId: access.grantId, day: reservation.day, rows: -unsent } : null;
}

/**
 * Settles a reservation once the delivery is over: gives back the reserved rows that were not
 * sent (to the day they were taken from), or charges a quota-free grant the rows it sent. A
 * failure is thrown, never ignored: the caller decides what it means for its delivery.
 */
export async function settleUsage(
  db: Db,
  access: Access,
  reservation: UsageReservation,
  sent: number,
): Promise<void> {
  if (access.grantId === null) return;
  const rows = Math.max(0, Math.trunc(sent));
  if (!reservation.held) {
    if (rows > 0) await chargeUsage(db, access, { calls: 0, rows });
    return;
  }
  const unsent = (reservation.rows ?? 0) - rows;
  if (unsent <= 0) return;
  await db
    .updateTable('grant_usage')
    .set({ row_count: sql`greatest(0, row_count - ${unsent})` })
    .where('grant_id', '=', access.grantId)
    .where('day', '=', reservation.day)
    .execute();
}
