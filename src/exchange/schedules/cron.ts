import { Cron } from 'croner';
import { BadRequestError } from '../../errors/index.js';

// A schedule that would fire every few seconds is a load, not a nightly copy: at most once a minute.
const MIN_INTERVAL_MS = 60_000;

function parse(expression: string, timezone: string): Cron {
  try {
    // `paused`: the object only computes times, it never runs anything itself.
    return new Cron(expression, { timezone, paused: true, mode: '5-or-6-parts' });
  } catch (error) {
    throw new BadRequestError(
      'schedule_cron_invalid',
      `Invalid cron expression or time zone: ${(error as Error).message}`,
      {
        field: 'cron',
      },
    );
  }
}

/** Checks a cron expression and time zone (400 `schedule_cron_invalid`), and that it fires at most once a minute. */
export function checkCron(expression: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new BadRequestError('schedule_cron_invalid', `Unknown time zone ${timezone}`, {
      field: 'timezone',
    });
  }
  const cron = parse(expression, timezone);
  const [a, b] = cron.nextRuns(2);
  if (!a)
    throw new BadRequestError('schedule_cron_invalid', 'The cron expression never fires', { field: 'cron' });
  if (b && b.getTime() - a.getTime() < MIN_INTERVAL_MS)
    throw new BadRequestError('schedule_cron_invalid', 'A schedule fires at most once a minute', {
      field: 'cron',
    });
}

/** The next time the schedule fires after `from`, read in its time zone (null when never again). */
export function nextRunAt(expression: string, timezone: string, from: Date = new Date()): Date | null {
  return parse(expression, timezone).nextRun(from);
}
