import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { addDays, dayOf } from './shanghai.js';

type Db = Kysely<Database>;

/** N working days after an instant, or the working days between two: exactly one of `add` and `to`. */
export async function workingDaysAnswer(
  db: Db,
  actor: Actor,
  query: { from: string; add?: number; to?: string },
) {
  authorize(actor, 'calendar.read');
  if ((query.add === undefined) === (query.to === undefined))
    throw new BadRequestError('bad_request', 'Give exactly one of `add` and `to`', { field: 'add' });
  const from = new Date(query.from);
  const calendar = await loadCalendar(db);
  if (query.add !== undefined) {
    const due = calendar.addWorkingDays(from, query.add);
    return { from: from.toISOString(), ...due, dueAt: due.dueAt.toISOString(), workingDays: query.add };
  }
  const to = new Date(query.to!);
  const [low, high] = from <= to ? [from, to] : [to, from];
  if (addDays(dayOf(low), 3660) < dayOf(high))
    throw new BadRequestError('invalid_period', 'At most ten years at a time', { field: 'to' });
  return { from: from.toISOString(), ...calendar.workingDaysBetween(from, to) };
}
