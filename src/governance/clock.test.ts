import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar.js';
import { requestClock } from './clock.js';
import { RuleBook } from './rules.js';

const calendar = new WorkingCalendar();
const filed = new Date('2025-09-30T02:00:00Z'); // 10:00 in Shanghai, due 21 Oct 2025 (10 working days)
const clock = (status: string, now: string, updatedAt = filed, rules = new RuleBook([])) =>
  requestClock({ createdAt: filed, grade: 'general', status, updatedAt }, calendar, rules, new Date(now));

describe('the clock of an access request', () => {
  it('runs, is due on its last day, then is overdue', () => {
    expect(clock('pending', '2025-10-09T02:00:00Z')).toMatchObject({
      state: 'running',
      dueDate: '2025-10-21',
      remainingWorkingDays: 9,
      workingDays: 10,
    });
    expect(clock('pending', '2025-10-20T02:00:00Z')).toMatchObject({
      state: 'running',
      remainingWorkingDays: 1,
    });
    expect(clock('pending', '2025-10-21T15:59:59Z')).toMatchObject({
      state: 'due_today',
      remainingWorkingDays: 0,
    });
    expect(clock('pending', '2025-10-21T16:00:00Z')).toMatchObject({
      state: 'overdue',
      remainingWorkingDays: -1,
    });
    expect(clock('pending', '2025-10-24T02:00:00Z')).toMatchObject({
      state: 'overdue',
      remainingWorkingDays: -3,
    });
  });

  it('stops at the decision, on time or late, and when withdrawn', () => {
    const onTime = clock('approved', '2025-12-01T00:00:00Z', new Date('2025-10-21T10:00:00Z'));
    expect(onTime).toMatchObject({ state: 'answered_on_time', answeredAt: '2025-10-21T10:00:00.000Z' });
    const late = clock('rejected', '2025-12-01T00:00:00Z', new Date('2025-10-22T01:00:00Z'));
    expect(late).toMatchObject({ state: 'answered_late', remainingWorkingDays: -1 });
    expect(clock('withdrawn', '2025-12-01T00:00:00Z', new Date('2025-10-10T01:00:00Z'))).toMatchObject({
      state: 'stopped',
      answeredAt: null,
    });
  });

  it('keeps the rule in force when the request was filed', () => {
    const rule = (days: number, at: string) => ({
      id: at,
      step: 'access_request',
      sharing_type: 'conditional',
      grade: 'general',
      working_days: days,
      set_by: 'admin',
      set_at: new Date(at),
    });
    const rules = new RuleBook([rule(5, '2025-01-01T00:00:00Z'), rule(3, '2025-10-01T00:00:00Z')]);
    expect(clock('pending', '2025-10-09T02:00:00Z', filed, rules)).toMatchObject({
      workingDays: 5,
      dueDate: '2025-10-14',
    });
  });
});
