import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/index.js';
import type { LoadReport } from './load-report.js';

/** The pending request the demo makes overdue: 民生信贷's application for power use (以电证信). */
export const OVERDUE_REQUEST_RESOURCE = '企业月度用电信息';
// 30 calendar days hold more than the 10 working days a request is allowed, whatever the holidays.
const OVERDUE_DAYS = 30;

/**
 * Moves the filing of one pending demo request 30 days back, so that the province shows an
 * overdue request that the deadline sweep escalates to the provider's administrator (办理时限).
 * The only write the demo makes past the API: a request cannot be filed in the past through it.
 */
export async function plantOverdueRequest(db: Kysely<Database>, report: LoadReport): Promise<void> {
  const request = await db
    .selectFrom('access_requests')
    .select('id')
    .where('status', '=', 'pending')
    .where('resource_name', '=', OVERDUE_REQUEST_RESOURCE)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!request) return;
  const filed = new Date(Date.now() - OVERDUE_DAYS * 86_400_000);
  await sql`update access_requests set created_at = ${filed}, updated_at = ${filed}, waiting_since = ${filed}
    where id = ${request.id}`.execute(db);
  report.count('overdue requests');
}
