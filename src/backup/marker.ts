import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The file a restore writes first and removes last: while it is there, nothing may start on the data. */
export const RESTORE_MARKER = 'huitong.restoring';

/** Whether a restore into this data directory began and did not finish. */
export function restoreUnfinished(dataDir: string): boolean {
  return existsSync(join(dataDir, RESTORE_MARKER));
}

/** Throws when a restore into this data directory began and did not finish (the server refuses to start). */
export function assertNotRestoring(dataDir: string): void {
  if (restoreUnfinished(dataDir))
    throw new Error(
      `A restore into ${dataDir} began and did not finish (${RESTORE_MARKER} is there): ` +
        'empty the data directory (and the database, with HUITONG_DATABASE_URL) and run `huitong restore` again',
    );
}
