import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DayOverride, WorkingCalendar } from './calendar.js';
import { addDays, dayOf, startOfDay } from './shanghai.js';

const plain = new WorkingCalendar();
/** An instant of the given Shanghai day and hour. */
const at = (day: string, hour = 10) => new Date(startOfDay(day).getTime() + hour * 3_600_000);
const due = (from: Date, n: number, calendar = plain) => calendar.addWorkingDays(from, n).dueDate;

// Instants across 国庆 2025 and 2026 (with their 调休 weekends) and the Spring Festival of 2026.
const season = (first: string, last: string) =>
  fc.date({ min: startOfDay(first), max: startOfDay(last), noInvalidDate: true });
const seasons = fc.oneof(
  season('2025-09-15', '2025-10-20'),
  season('2026-09-10', '2026-10-20'),
  season('2026-01-31', '2026-03-05'),
);

describe('the working-day calendar', () => {
  it('agrees with the package on every day of the years it covers', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2004-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }),
        (d) => {
          const day = dayOf(d);
          expect(plain.isWorkingDay(day), day).toBe(chineseDays.isWorkday(day));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts the 调休 weekends of 国庆 2025 and 2026 as working days and the holidays as not', () => {
    for (const day of ['2025-09-28', '2025-10-11', '2026-09-20', '2026-10-10', '2026-02-14', '2026-02-28'])
      expect(plain.describe(day)).toMatchObject({ working: true, source: 'statutory', covered: true });
    for (const day of ['2025-10-01', '2025-10-08', '2026-10-07', '2026-02-15', '2026-02-23'])
      expect(plain.describe(day)).toMatchObject({ working: false, source: 'statutory' });
    expect(plain.describe('2025-10-01').name).toBe('国庆节');
    expect(plain.describe('2026-02-17').name).toBe('春节');
  });

  it('computes deadlines across 国庆 with its 调休 days', () => {
    // 10 working days from 30 Sept 2025: 1–8 Oct off, 9, 10, 11 (调休 Saturday), 13–17, 20, 21.
    expect(due(at('2025-09-30'), 10)).toBe('2025-10-21');
    // Filed on the 调休 Sunday before 国庆 2025: that day does not count, 1–8 Oct are off.
    expect(due(at('2025-09-28'), 1)).toBe('2025-09-29');
    expect(due(at('2025-09-28'), 3)).toBe('2025-10-09');
    // 2026: the 调休 Sunday 20 Sept counts; 1–7 Oct off; Saturday 10 Oct is a working day.
    expect(due(at('2026-09-18'), 5)).toBe('2026-09-24');
    expect(due(at('2026-09-30'), 3)).toBe('2026-10-10');
    expect(due(at('2026-09-30'), 4)).toBe('2026-10-12');
    // Spring Festival 2026: the 调休 Saturday 14 Feb, then 15–23 Feb off.
    expect(due(at('2026-02-13'), 2)).toBe('2026-02-24');
    const { dueAt, provisional } = plain.addWorkingDays(at('2025-09-30'), 10);
    expect(dueAt.toISOString()).toBe('2025-10-21T16:00:00.000Z');
    expect(provisional).toBe(false);
  });

  it('takes the day in Asia/Shanghai, not the server’s', () => {
    // 17:30 UTC on 30 Sept is 01:30 on 1 Oct in Shanghai: the count starts from 国庆 day.
    expect(due(new Date('2025-09-30T17:30:00Z'), 1)).toBe('2025-10-09');
    expect(due(new Date('2025-09-30T15:59:59Z'), 1)).toBe('2025-10-09');
    expect(due(new Date('2025-09-29T16:30:00Z'), 1)).toBe('2025-10-09');
    expect(due(new Date('2025-09-28T15:30:00Z'), 1)).toBe('2025-09-29');
  });

  it('ends a deadline on a working day exactly N working days later', () => {
    fc.assert(
      fc.property(seasons, fc.integer({ min: 1, max: 30 }), (from, n) => {
        const { dueDate, dueAt } = plain.addWorkingDays(from, n);
        expect(plain.isWorkingDay(dueDate)).toBe(true);
        expect(plain.workingDaysBetween(from, new Date(dueAt.getTime() - 1)).workingDays).toBe(n);
        // The day before the deadline leaves one fewer.
        expect(plain.workingDaysBetween(from, startOfDay(addDays(dueDate, -1))).workingDays).toBe(n - 1);
        expect(plain.workingDaysBetween(new Date(dueAt.getTime() - 1), from).workingDays).toBe(-n);
      }),
      { numRuns: 500 },
    );
  });

  it('never ends a deadline on a holiday or an ordinary weekend, and is monotonic in N', () => {
    fc.assert(
      fc.property(seasons, fc.integer({ min: 1, max: 25 }), (from, n) => {
        const day = plain.describe(due(from, n));
        expect(day.source === 'weekday' || (day.source === 'statutory' && day.working)).toBe(true);
        expect(due(from, n + 1) > due(from, n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('moves a deadline by an administrator’s local holiday or extra working day', () => {
    fc.assert(
      fc.property(seasons, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 40 }), (from, n, k) => {
        const before = due(from, n);
        const day = addDays(dayOf(from), k);
        const off = new WorkingCalendar(
          new Map<string, DayOverride>([[day, { kind: 'holiday', reason: '本地假日' }]]),
        );
        const on = new WorkingCalendar(
          new Map<string, DayOverride>([[day, { kind: 'workday', reason: '加班' }]]),
        );
        const wasWorking = plain.isWorkingDay(day);
        const inside = day <= before;
        // A working day inside the count taken away pushes the deadline out; outside it, nothing moves.
        expect(due(from, n, off) > before).toBe(wasWorking && inside);
        expect(due(from, n, off) >= before).toBe(true);
        // A day off inside the count made a working day brings it in.
        expect(due(from, n, on) < before).toBe(!wasWorking && inside);
        expect(off.describe(day)).toMatchObject({ working: false, source: 'override', name: '本地假日' });
      }),
      { numRuns: 500 },
    );
  });

  it('counts a year the package does not know by weekends only, and says so', () => {
    const { dueDate, provisional, uncoveredYears } = plain.addWorkingDays(at('2026-12-30'), 5);
    expect(provisional).toBe(true);
    expect(uncoveredYears).toEqual([2027]);
    // 31 Dec, then 1 Jan 2027 (a Friday) is counted as a working day: no arrangement is known.
    expect(dueDate).toBe('2027-01-06');
    expect(plain.describe('2027-10-01')).toMatchObject({ working: true, source: 'weekday', covered: false });
    expect(plain.workingDaysBetween(at('2025-01-01'), at('2025-12-31')).provisional).toBe(false);
    // An override still counts in such a year.
    const local = new WorkingCalendar(
      new Map([['2027-01-01', { kind: 'holiday', reason: '元旦' } as DayOverride]]),
    );
    expect(local.addWorkingDays(at('2026-12-30'), 5).dueDate).toBe('2027-01-07');
  });
});
