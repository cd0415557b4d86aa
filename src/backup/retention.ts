import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Scheduled archives are named `huitong-<UTC time>.tar.gz`, so that their names sort by age. */
export const SCHEDULED_PREFIX = 'huitong-';
export const ARCHIVE_SUFFIX = '.tar.gz';

/** The name of the scheduled archive of the interval slot that `time` falls in (every process agrees on it). */
export function scheduledName(time: Date, intervalMs: number): string {
  const slot = new Date(Math.floor(time.getTime() / intervalMs) * intervalMs);
  return `${SCHEDULED_PREFIX}${slot.toISOString().replace(/[:.]/g, '-')}${ARCHIVE_SUFFIX}`;
}

/** The scheduled archives in `dir`, oldest first. */
export async function scheduledArchives(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(SCHEDULED_PREFIX) && n.endsWith(ARCHIVE_SUFFIX)).sort();
}

/**
 * Removes all but the newest `keep` scheduled archives of `dir`, and what a backup cut by a crash
 * left (`.partial`, `.lock`) once older than `staleMs`; returns the archives removed.
 */
export async function pruneBackups(dir: string, keep: number, staleMs = 24 * 3600_000): Promise<string[]> {
  const names = await scheduledArchives(dir);
  const doomed = names.slice(0, Math.max(0, names.length - keep));
  for (const name of doomed) await rm(join(dir, name), { force: true });
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(SCHEDULED_PREFIX) || !/\.(partial|lock)$/.test(name)) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleMs) await rm(join(dir, name), { force: true });
  }
  return doomed;
}

/** Whether a file exists. */
export const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
