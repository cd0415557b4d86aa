import type { Kysely } from 'kysely';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { type DayOverride, WorkingCalendar } from './calendar.js';
import type { CalendarDayView, OverrideInput, OverrideView } from './schemas.js';
import { addDays, type DayKey } from './shanghai.js';
import { COVERED_YEARS } from './statutory.js';

type Db = Kysely<Database>;

// A listing or a count longer than this is refused: no deadline spans years, and the loop is per day.
const MAX_RANGE_DAYS = 731;

/** The calendar with every override of the store. */
export async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  const rows = await db.selectFrom('calendar_overrides').select(['day', 'kind', 'reason']).execute();
  return new WorkingCalendar(
    new Map(rows.map((r) => [r.day, { kind: r.kind, reason: r.reason } as DayOverride])),
  );
}

const present = (r: {
  day: string;
  kind: 'holiday' | 'workday';
  reason: string;
  set_by: string;
  set_at: Date;
}): OverrideView => ({
  day: r.day,
  kind: r.kind,
  reason: r.reason,
  setBy: r.set_by,
  setAt: r.set_at.toISOString(),
});

/** Refuses a range that is reversed or longer than two years. */
export function checkRange(from: DayKey, to: DayKey): void {
  if (to < from) throw new BadRequestError('invalid_period', '`to` is before `from`', { field: 'to' });
  if (addDays(from, MAX_RANGE_DAYS) < to)
    throw new BadRequestError('invalid_period', `At most ${MAX_RANGE_DAYS} days at a time`, { field: 'to' });
}

/** The days of a range with why each is (not) a working day, and whether the package covers them. */
export async function calendarDays(db: Db, actor: Actor, from: DayKey, to: DayKey) {
  authorize(actor, 'calendar.read');
  checkRange(from, to);
  const calendar = await loadCalendar(db);
  const days: CalendarDayView[] = [];
  for (let day = from; day <= to; day = addDays(day)) days.push(calendar.describe(day));
  const uncoveredYears = [...new Set(days.filter((d) => !d.covered).map((d) => Number(d.day.slice(0, 4))))];
  return { days, coveredYears: [...COVERED_YEARS], provisional: uncoveredYears.length > 0, uncoveredYears };
}

/** Every override, by day. */
export async function listOverrides(db: Db, actor: Actor): Promise<OverrideView[]> {
  authorize(actor, 'calendar.read');
  const rows = await db.selectFrom('calendar_overrides').selectAll().orderBy('day').execute();
  return rows.map(present);
}

/** Sets (or replaces) the override of a day: a local holiday or an extra working day (platform administrator). */
export async function setOverride(
  db: Db,
  actor: Actor,
  day: DayKey,
  input: OverrideInput,
): Promise<OverrideView> {
  const caller = authorize(actor, 'calendar.manage');
  const row = {
    day,
    kind: input.kind,
    reason: input.reason,
    set_by: caller.kind === 'user' ? caller.userId : caller.applicationId,
    set_at: new Date(),
  };
  const saved = await db
    .insertInto('calendar_overrides')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet({ kind: row.kind, reason: row.reason, set_by: row.set_by, set_at: row.set_at }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(saved);
}

/** Removes the override of a day (404 when there is none): the package's arrangement applies again. */
export async function removeOverride(db: Db, actor: Actor, day: DayKey): Promise<OverrideView> {
  authorize(actor, 'calendar.manage');
  const removed = await db
    .deleteFrom('calendar_overrides')
    .where('day', '=', day)
    .returningAll()
    .executeTakeFirst();
  if (!removed) throw new NotFoundError('Calendar override');
  return present(removed);
}
