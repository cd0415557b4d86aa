import { z } from 'zod';
import {
  CheckReportSchema,
  ColumnTypeSchema,
  decideReleaseReview,
  findReview,
  listReviews,
  presentReview,
  RefusalDecisionSchema,
  ReleaseReviewSchema,
  ReviewDecisionSchema,
  ReviewListQuerySchema,
  releaseReviewResult,
} from '../../query/index.js';
import type { App, AppContext } from '../types.js';
import { callerOf, send } from './query.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['data: release reviews'];

const HeldResult = z.object({
  review: z.object({ id: z.uuid(), status: z.string() }),
  columns: z.array(z.object({ name: z.string(), type: ColumnTypeSchema })),
  rows: z.array(z.record(z.string(), z.unknown())),
  truncated: z.boolean(),
  check: CheckReportSchema,
});

/**
 * Release review of sandbox answers (可用不可见): the analyst follows what they submitted, the
 * provider's stewards see the queue, read the held rows, and approve or refuse with a reason.
 */
export async function releaseReviewRoutes(app: App, { store, query }: AppContext): Promise<void> {
  app.get(
    '/api/v1/release-reviews',
    {
      schema: {
        tags,
        summary:
          'Sandbox answers held for release review: yours (requester) or your organisation’s to decide (provider)',
        querystring: ReviewListQuerySchema,
        response: { 200: z.object({ items: z.array(ReleaseReviewSchema) }), ...refusals },
      },
    },
    async (request) => listReviews(store.db, request.actor, request.query),
  );

  app.get(
    '/api/v1/release-reviews/:id',
    {
      schema: {
        tags,
        summary: 'One release review: the query, its check report and status (never the held rows)',
        params: IdParams,
        response: { 200: ReleaseReviewSchema, ...refusals },
      },
    },
    async (request) => presentReview((await findReview(store.db, request.actor, request.params.id)).row),
  );

  app.get(
    '/api/v1/release-reviews/:id/result',
    {
      schema: {
        tags,
        summary:
          'The held rows: for the provider’s steward to decide, for the requester once approved; each read is an audited release',
        params: IdParams,
        response: { 200: HeldResult, ...refusals },
      },
    },
    async (request, reply) =>
      send(reply, await releaseReviewResult(query, callerOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/release-reviews/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve the release of a held answer (the provider’s steward)',
        params: IdParams,
        body: ReviewDecisionSchema,
        response: { 200: ReleaseReviewSchema, ...refusals },
      },
    },
    async (request) =>
      decideReleaseReview(query, callerOf(request), request.params.id, {
        status: 'approved',
        reason: request.body.reason,
      }),
  );

  app.post(
    '/api/v1/release-reviews/:id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse the release of a held answer, with the reason (the provider’s steward)',
        params: IdParams,
        body: RefusalDecisionSchema,
        response: { 200: ReleaseReviewSchema, ...refusals },
      },
    },
    async (request) =>
      decideReleaseReview(query, callerOf(request), request.params.id, {
        status: 'refused',
        reason: request.body.reason,
      }),
  );
}
