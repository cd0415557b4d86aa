import type { Kysely } from 'kysely';
import type { QueryContext } from '../../query/index.js';
import type { Database } from '../../store/index.js';
import { nextRunAt } from './cron.js';
import type { ScheduleRow } from './rows.js';
import { runSchedule, type ScheduleEnvironment } from './run.js';

// Long enough for a large nightly export; a process that dies mid-run frees the schedule after it.
export const LEASE_MS = 3_600_000;

/**
 * Takes one due schedule for this process: the lease and the next run time are set in one
 * conditional update (on the next_run_at this process saw, with no live lease), so that of
 * several processes exactly one runs each occurrence.
 */
export async function claimDue(db: Kysely<Database>, now = new Date()): Promise<ScheduleRow | undefined> {
  const due = await db
    .selectFrom('delivery_schedules')
    .selectAll()
    .where('status', '=', 'active')
    .where('next_run_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_run_at')
    .limit(10)
    .execute();
  for (const row of due) {
    const next = nextRunAt(row.cron, row.timezone, now);
    const taken = await db
      .updateTable('delivery_schedules')
      .set({ lease_until: new Date(now.getTime() + LEASE_MS), next_run_at: next })
      .where('id', '=', row.id)
      .where('next_run_at', '=', row.next_run_at as Date)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { ...row, next_run_at: next };
  }
  return undefined;
}

/** Frees a schedule's lease once its run is recorded. */
export async function releaseLease(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('delivery_schedules').set({ lease_until: null }).where('id', '=', id).execute();
}

/** The schedule runner of one process. */
export interface ScheduleRunner {
  /** Runs every schedule due now (one after another), then resolves. */
  tick(): Promise<void>;
  /** Stops ticking and waits for the run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs due delivery schedules every `tickMs` (docs/subscriptions.md, scheduled delivery). A run's
 * failure is recorded on the run; `onError` hears of what went wrong around it (the store away).
 */
export function startScheduleRunner(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  options: { tickMs: number; onError: (error: unknown) => void },
): ScheduleRunner {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const once = async () => {
    for (let n = 0; n < 100 && !stopped; n++) {
      const row = await claimDue(ctx.store.db);
      if (!row) return;
      try {
        await runSchedule(ctx, env, row, 'schedule');
      } finally {
        await releaseLease(ctx.store.db, row.id);
      }
    }
  };
  const tick = () => {
    running = running.then(once).catch(options.onError);
    return running;
  };
  const timer = setInterval(() => void tick(), options.tickMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
