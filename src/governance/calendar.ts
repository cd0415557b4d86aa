import { addDays, type DayKey, dayOf, isWeekend, startOfDay } from './shanghai.js';
import { statutoryDay, yearCovered } from './statutory.js';

/** An administrator's change to one day: a local holiday, or an extra working day. */
export interface DayOverride {
  kind: 'holiday' | 'workday';
  reason: string;
}

/** Why a day is or is not a working day. */
export type DaySource = 'override' | 'statutory' | 'weekend' | 'weekday';

/** One day of the working-day calendar (工作日历). */
export interface CalendarDay {
  day: DayKey;
  working: boolean;
  source: DaySource;
  /** The festival (国庆节 …) or the override's reason. */
  name: string | null;
  /** False when the package does not know the year: only weekends and overrides count. */
  covered: boolean;
}

/** A count whose days crossed a year the package does not know is provisional (暂按周末计算). */
export interface Provisional {
  provisional: boolean;
  uncoveredYears: number[];
}

// No real calendar has a year without working days; an override table that makes one must not
// hang a request.
const MAX_SCAN_DAYS = 3660;

/** The working-day calendar: statutory holidays and 调休 from the package, then the overrides. */
export class WorkingCalendar {
  constructor(private readonly overrides: ReadonlyMap<DayKey, DayOverride> = new Map()) {}

  /** One day and why it is (not) a working day. */
  describe(day: DayKey): CalendarDay {
    const covered = yearCovered(day);
    const override = this.overrides.get(day);
    if (override)
      return {
        day,
        working: override.kind === 'workday',
        source: 'override',
        name: override.reason,
        covered,
      };
    const statutory = covered ? statutoryDay(day) : undefined;
    if (statutory)
      return {
        day,
        working: statutory.kind === 'workday',
        source: 'statutory',
        name: statutory.name,
        covered,
      };
    const weekend = isWeekend(day);
    return { day, working: !weekend, source: weekend ? 'weekend' : 'weekday', name: null, covered };
  }

  /** Whether a Shanghai day is a working day. */
  isWorkingDay(day: DayKey): boolean {
    return this.describe(day).working;
  }

  /**
   * The deadline N working days after an instant (自…之日起N个工作日): the day of the instant does
   * not count; the deadline is the end (24:00 Shanghai) of the N-th working day after it. N = 0
   * ends with the instant's own day.
   */
  addWorkingDays(from: Date, n: number): { dueDate: DayKey; dueAt: Date } & Provisional {
    let day = dayOf(from);
    const seen = new Tracker(day);
    for (let left = n, scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new Error('the calendar has no working day in ten years');
      day = addDays(day);
      seen.add(day);
      if (this.isWorkingDay(day)) left--;
    }
    return { dueDate: day, dueAt: startOfDay(addDays(day)), ...seen.result() };
  }

  /** Working days after the day of `from` up to and including the day of `to`; negative when `to` is earlier. */
  workingDaysBetween(from: Date, to: Date): { workingDays: number } & Provisional {
    const [a, b] = [dayOf(from), dayOf(to)];
    const sign = a <= b ? 1 : -1;
    const [low, high] = sign === 1 ? [a, b] : [b, a];
    const seen = new Tracker(low);
    let count = 0;
    for (let day = low, scanned = 0; day < high; scanned++) {
      if (scanned > MAX_SCAN_DAYS * 10) throw new Error('range too long to count');
      day = addDays(day);
      seen.add(day);
      if (this.isWorkingDay(day)) count++;
    }
    return { workingDays: sign * count, ...seen.result() };
  }
}

/** The years a count passed through that the package does not cover. */
class Tracker {
  private readonly years = new Set<number>();
  constructor(first: DayKey) {
    this.add(first);
  }
  add(day: DayKey): void {
    if (!yearCovered(day)) this.years.add(Number(day.slice(0, 4)));
  }
  result(): Provisional {
    const uncoveredYears = [...this.years].sort((x, y) => x - y);
    return { provisional: uncoveredYears.length > 0, uncoveredYears };
  }
}
