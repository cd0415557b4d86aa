import { ConflictError } from '../../errors/index.js';
import { auditActorOf } from '../audit-actor.js';
import type { Caller, QueryContext } from '../context.js';
import { toRecords } from '../deliver/ndjson.js';
import { planForSql } from '../plan.js';
import { openRelease } from '../release.js';
import { type Delivery, releaseDetails } from '../rows.js';
import { decideReview, findReview, heldAnswer, presentReview, type ReleaseReviewView } from './reviews.js';

/**
 * GET /release-reviews/{id}/result: the held rows, released through the pipeline. The provider's
 * steward reads them to decide; the requester only once approved (409 `release_review_pending`
 * or `release_review_refused` before). Each read plans every resource afresh (a revoked grant
 * stops it, as for any read) and writes its release entry before the answer is sent.
 */
export async function releaseReviewResult(ctx: QueryContext, caller: Caller, id: string): Promise<Delivery> {
  const { row, side } = await findReview(ctx.store.db, caller.actor, id);
  if (side === 'requester' && row.status !== 'approved')
    throw new ConflictError(
      row.status === 'refused' ? 'release_review_refused' : 'release_review_pending',
      row.status === 'refused'
        ? 'The steward refused to release this answer'
        : 'The answer waits for the provider steward’s release review',
    );
  const review = presentReview(row);
  const views = [];
  for (const code of review.resources) views.push(await planForSql(ctx, caller, code));
  const release = await openRelease(
    ctx.audit,
    releaseDetails(caller, views, `release_review ${review.id}: ${review.sql}`, 'json'),
  );
  try {
    const held = heldAnswer(row, ctx.heldRowsKey);
    const body = JSON.stringify({
      review: { id: review.id, status: review.status },
      columns: held.columns,
      rows: toRecords(
        held.columns.map((c) => c.name),
        held.rows,
      ),
      truncated: false,
      check: review.check,
    });
    await release.json(body, held.rows.length);
    return { kind: 'json', body };
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}

/**
 * Approves or refuses a held answer (the provider's steward), with its audit entry: the approval
 * itself releases nothing; the requester's next read of /result does, through the pipeline.
 */
export async function decideReleaseReview(
  ctx: QueryContext,
  caller: Caller,
  id: string,
  decision: { status: 'approved' | 'refused'; reason: string },
): Promise<ReleaseReviewView> {
  const row = await decideReview(ctx.store.db, caller.actor, id, decision);
  const review = presentReview(row);
  await ctx.audit.append({
    type: decision.status === 'approved' ? 'release_review.approved' : 'release_review.refused',
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: review.resources,
    data: { reviewId: review.id, reason: decision.reason, consumerOrgId: review.consumerOrgId },
  });
  return review;
}
