import { ForbiddenError, TooManyRequestsError } from '../errors/index.js';
import { reserveUsage, settleUsage } from '../sharing/index.js';
import type { Caller, QueryContext } from './context.js';
import { planResource } from './plan.js';
import { openRelease } from './release.js';
import type { Column } from './row-stream.js';
import { checkUse, releaseDetails } from './rows.js';

/** A file the platform exported earlier (a scheduled delivery), as stored with it. */
export interface StoredExport {
  resourceCode: string;
  format: string;
  /** The columns as released when the file was made (names and delivered types). */
  columns: Column[];
  rows: number;
  /** Says what the file is, for the release entry: `delivery-schedule <id> run <run>`. */
  description: string;
}

/**
 * Releases a stored export to the caller again (a download of a scheduled delivery's file): the
 * caller's grant is decided afresh and must still cover every column the file holds, with the
 * same delivered type (an item masked since, or no longer granted, refuses 403
 * `delivery_file_outdated`); the rows count against today's quota; the release's start entry is
 * durable before the first byte and its completion (rows, bytes, SHA-256) as the stream ends.
 */
export async function releaseStoredExport(
  ctx: QueryContext,
  caller: Caller,
  stored: StoredExport,
  open: () => AsyncIterable<Buffer>,
): Promise<AsyncGenerator<Buffer>> {
  const view = await planResource(ctx, caller, stored.resourceCode);
  checkUse(view, stored.format);
  const now = new Map(view.columns.map((c) => [c.name, c.type]));
  const changed = stored.columns.filter((c) => now.get(c.name) !== c.type).map((c) => c.name);
  if (changed.length)
    throw new ForbiddenError(
      `The grant no longer covers the file's columns as they were released (${changed.slice(0, 5).join(', ')}): run the schedule again`,
      'delivery_file_outdated',
    );
  const db = ctx.store.db;
  const reserved = await reserveUsage(db, view.access, { calls: 1, rows: stored.rows });
  if (reserved.rows !== null && reserved.rows < stored.rows) {
    await settleUsage(db, view.access, reserved, 0);
    throw new TooManyRequestsError("Today's row quota does not cover this file", 3600, 'quota_exhausted');
  }
  const details = releaseDetails(caller, [view], `stored export ${stored.description}`, stored.format);
  const release = await openRelease(ctx.audit, {
    ...details,
    items: {
      [view.resource.code]: view.columns
        .filter((c) => stored.columns.some((s) => s.name === c.name))
        .map((c) => c.item),
    },
  }).catch(async (error: unknown) => {
    await settleUsage(db, view.access, reserved, 0);
    throw error;
  });
  let sent = 0;
  const body = async function* () {
    try {
      yield* open();
      sent = stored.rows;
    } finally {
      await settleUsage(db, view.access, reserved, sent);
    }
  };
  return release.stream(body(), () => sent);
}
