import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { type Actor, type AuthenticatedActor, authorize } from '../../identity/index.js';
import type { Store } from '../../store/index.js';
import type { Column } from '../row-stream.js';
import { openHeldRows, sealHeldRows } from './held-rows.js';
import { type CheckReport, CheckReportSchema } from './report.js';

// Release review (人工发布审核): a sandbox answer that fails its checks is held here, server-side,
// until a steward of the provider approves or refuses it. Nothing of the held rows reaches the
// analyst before approval; after it, each read of them is a release of its own (result.ts). At
// rest the rows are sealed (held-rows.ts).

type Db = Store['db'];

/** A release review as the API shows it: never the held rows (those are read through /result). */
export const ReleaseReviewSchema = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'approved', 'refused']),
  resources: z.array(z.string()),
  sql: z.string(),
  aliases: z.record(z.string(), z.string()),
  check: CheckReportSchema,
  rows: z.number().int().describe('how many rows are held'),
  reason: z.string().describe('the steward’s reason for a refusal (or comment on an approval)'),
  providerId: z.uuid(),
  consumerOrgId: z.uuid(),
  decidedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type ReleaseReviewView = z.infer<typeof ReleaseReviewSchema>;

/** Body of approve and refuse: the reason (required to refuse). */
export const ReviewDecisionSchema = z.strictObject({ reason: z.string().trim().max(2000).default('') });
export const RefusalDecisionSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

/** Query string of GET /release-reviews. */
export const ReviewListQuerySchema = z.strictObject({
  side: z
    .enum(['provider', 'requester'])
    .default('requester')
    .describe(
      'provider: the answers your organisation’s stewards review; requester: your organisation’s (a key: its own)',
    ),
  status: z.enum(['pending', 'approved', 'refused']).optional(),
});

/** Who asked, as stored: the person, or the application whose key was used. */
export function requesterOf(actor: AuthenticatedActor): string {
  return actor.kind === 'user' ? `user:${actor.userId}` : `application:${actor.applicationId}`;
}

interface Held {
  providerId: string;
  consumerOrgId: string;
  requester: string;
  resources: string[];
  grantIds: string[];
  sql: string;
  aliases: Record<string, string>;
  columns: Column[];
  rows: unknown[][];
  report: CheckReport;
}

/** Stores a held answer, its rows sealed with `key` (the credentials key), and returns its id. */
export async function holdForReview(db: Db, key: Buffer, held: Held): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('release_reviews')
    .values({
      id,
      provider_id: held.providerId,
      consumer_org_id: held.consumerOrgId,
      requester: held.requester,
      resources: JSON.stringify(held.resources),
      grant_ids: JSON.stringify(held.grantIds),
      sql: held.sql,
      aliases: JSON.stringify(held.aliases),
      columns: JSON.stringify(held.columns),
      sealed_rows: sealHeldRows(key, id, held.rows),
      row_count: held.rows.length,
      report: JSON.stringify(held.report),
      status: 'pending',
    })
    .execute();
  return id;
}

type Row = Awaited<ReturnType<typeof loadRow>>;

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function loadRow(db: Db, id: string) {
  return db.selectFrom('release_reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A report stored before checks carried reasons shows none: the console then shows `detail`. */
type StoredReport = Omit<CheckReport, 'checks'> & {
  checks: Array<
    Omit<CheckReport['checks'][number], 'reasons'> & Partial<Pick<CheckReport['checks'][number], 'reasons'>>
  >;
};
const storedReport = (report: StoredReport): CheckReport => ({
  ...report,
  checks: report.checks.map((c) => ({ ...c, reasons: c.reasons ?? [] })),
});

/** The review as the API shows it. */
export function presentReview(row: NonNullable<Row>): ReleaseReviewView {
  return {
    id: row.id,
    status: row.status as ReleaseReviewView['status'],
    resources: parsed(row.resources),
    sql: row.sql,
    aliases: parsed(row.aliases),
    check: storedReport(parsed(row.report)),
    rows: row.row_count,
    reason: row.reason,
    providerId: row.provider_id,
    consumerOrgId: row.consumer_org_id,
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The held columns and rows of a review, opened with `key` (for result.ts, which releases them). */
export function heldAnswer(row: NonNullable<Row>, key: Buffer): { columns: Column[]; rows: unknown[][] } {
  return { columns: parsed(row.columns), rows: openHeldRows(key, row) };
}

/**
 * A review the actor may see: the provider's stewards see their organisation's, the requester
 * (and its organisation's analysts) their own; others get 404 as if it did not exist.
 */
export async function findReview(db: Db, actor: Actor, id: string) {
  const row = z.uuid().safeParse(id).success ? await loadRow(db, id) : undefined;
  if (!row) throw new NotFoundError('Release review', 'release_review_not_found');
  const who = authorize(actor, 'release_review.read', { orgId: undefined });
  const provider = who.orgId === row.provider_id;
  const requester =
    row.requester === requesterOf(who) || (who.kind === 'user' && who.orgId === row.consumer_org_id);
  if (provider) authorize(who, 'release_review.decide', { orgId: row.provider_id, noun: 'Release review' });
  else if (!requester) throw new NotFoundError('Release review', 'release_review_not_found');
  return { row, side: provider ? ('provider' as const) : ('requester' as const) };
}

/** The reviews of one side, newest first (at most 200). */
export async function listReviews(db: Db, actor: Actor, query: z.infer<typeof ReviewListQuerySchema>) {
  const who = authorize(actor, 'release_review.read');
  let select = db.selectFrom('release_reviews').selectAll().orderBy('created_at', 'desc').limit(200);
  if (query.side === 'provider') {
    authorize(who, 'release_review.decide', { orgId: who.orgId });
    select = select.where('provider_id', '=', who.orgId);
  } else if (who.kind === 'user') select = select.where('consumer_org_id', '=', who.orgId);
  else select = select.where('requester', '=', requesterOf(who));
  if (query.status) select = select.where('status', '=', query.status);
  return { items: (await select.execute()).map(presentReview) };
}

/**
 * Approves or refuses a pending review, once (409 `release_review_decided` after): a steward of
 * the provider only. Answers the review as it now is.
 */
export async function decideReview(
  db: Db,
  actor: Actor,
  id: string,
  decision: { status: 'approved' | 'refused'; reason: string },
) {
  const { row, side } = await findReview(db, actor, id);
  // The requester's side cannot decide: to it the decision route is as absent as another's review.
  if (side !== 'provider') throw new NotFoundError('Release review', 'release_review_not_found');
  const who = authorize(actor, 'release_review.decide', { orgId: row.provider_id, noun: 'Release review' });
  const decided = await db
    .updateTable('release_reviews')
    .set({
      status: decision.status,
      reason: decision.reason,
      decided_by: who.kind === 'user' ? who.userId : null,
      decided_at: new Date(),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!decided)
    throw new ConflictError('release_review_decided', `The review has already been ${row.status}`);
  return decided;
}
