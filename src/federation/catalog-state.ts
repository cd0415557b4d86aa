import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

/** This node's reporting to its parent: the acknowledged cursor, the last success, the last error. */
export interface ReportState {
  cursor: number;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorCode: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

const date = (d: Date | string | null) => (d === null ? null : new Date(d));

/** The reporting state (a cursor of 0 before the first acknowledged report). */
export async function readReportState(db: Db): Promise<ReportState> {
  const row = await db
    .selectFrom('federation_catalog_report')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirst();
  return {
    cursor: Number(row?.cursor ?? 0),
    lastAttemptAt: date(row?.last_attempt_at ?? null),
    lastSuccessAt: date(row?.last_success_at ?? null),
    lastErrorCode: row?.last_error_code ?? null,
    lastError: row?.last_error ?? null,
    lastErrorAt: date(row?.last_error_at ?? null),
  };
}

async function write(db: Db, values: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('federation_catalog_report')
    .values({ id: 1, cursor: 0, ...values })
    .onConflict((c) => c.column('id').doUpdateSet(values))
    .execute();
}

/** Records an acknowledged report: the cursor moves, the last error clears. */
export async function recordReportSuccess(db: Db, cursor: number, now: Date): Promise<void> {
  await write(db, {
    cursor,
    last_attempt_at: now,
    last_success_at: now,
    last_error_code: null,
    last_error: null,
    last_error_at: null,
  });
}

/** Records why a report failed (the cursor stays where the parent last acknowledged). */
export async function recordReportError(db: Db, error: unknown, now: Date): Promise<void> {
  await write(db, {
    last_attempt_at: now,
    last_error_code: error instanceof AppError ? error.code : 'internal_error',
    last_error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
    last_error_at: now,
  });
}
