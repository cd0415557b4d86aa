import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, pruneBackups, scheduledName } from './retention.js';
import type { BackupOptions, BackupSummary } from './write-backup.js';
import { writeBackup } from './write-backup.js';

/** The scheduled backups' settings (HUITONG_BACKUP_DIR, _INTERVAL_HOURS, _KEEP). */
export interface BackupSchedule {
  dir: string;
  intervalMs: number;
  keep: number;
}

/** What the scheduler reports. */
export interface ScheduleEvents {
  onBackup?(summary: BackupSummary, pruned: string[]): void | Promise<void>;
  onError?(error: unknown): void;
}

/**
 * Takes the current interval's scheduled backup unless it exists, then prunes to `keep`. Several
 * processes sharing the directory agree on the slot's name and a `.lock` file created exclusively,
 * so one of them writes it. Returns the summary, or undefined when there was nothing to do.
 */
export async function runScheduledBackup(
  schedule: BackupSchedule,
  options: Omit<BackupOptions, 'file'>,
  now = new Date(),
): Promise<BackupSummary | undefined> {
  const file = join(schedule.dir, scheduledName(now, schedule.intervalMs));
  if (await exists(file)) return undefined;
  const lock = `${file}.lock`;
  const handle = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    await handle.close();
    return await writeBackup({ ...options, file });
  } finally {
    await rm(lock, { force: true });
  }
}

/** Runs scheduled backups every `intervalMs` (checking each minute at most), with retention; returns a stop function. */
export function scheduleBackups(
  schedule: BackupSchedule,
  options: Omit<BackupOptions, 'file'>,
  events: ScheduleEvents = {},
): () => Promise<void> {
  let current: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const summary = await runScheduledBackup(schedule, options);
      if (summary) await events.onBackup?.(summary, await pruneBackups(schedule.dir, schedule.keep));
    } catch (error) {
      events.onError?.(error);
    }
  };
  const tick = () => {
    if (current || stopped) return;
    current = run().finally(() => {
      current = undefined;
    });
  };
  const timer = setInterval(tick, Math.min(60_000, Math.max(1000, schedule.intervalMs / 4)));
  timer.unref();
  tick();
  // Stopping waits for a backup under way, so that its entry is written while the log is open:
  // an archive in the folder always has its backup.created entry.
  return async () => {
    stopped = true;
    clearInterval(timer);
    await current;
  };
}
