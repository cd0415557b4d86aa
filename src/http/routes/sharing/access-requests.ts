import { z } from 'zod';
import { AccessRequestWithClockSchema, withClocks } from '../../../governance/index.js';
import {
  AccessRequestStatusSchema,
  type AccessRequestView,
  ApprovalTermsSchema,
  approveAccessRequest,
  CreateAccessRequestSchema,
  createAccessRequest,
  GrantSchema,
  getAccessRequest,
  listAccessRequests,
  RejectionSchema,
  RequestStatsSchema,
  rejectAccessRequest,
  requestStats,
  StatsScopeSchema,
  withdrawAccessRequest,
} from '../../../sharing/index.js';
import { PageQuerySchema, pageSchema } from '../../../store/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { IdParams, refusals } from '../schemas.js';

const tags = ['sharing: access requests'];

/** Access requests (共享申请): filed by a consumer's analyst, decided by the provider step by step. */
export async function accessRequestRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  // Every request carries its clock (时限, docs/governance.md), computed when it is shown.
  const clocked = async (view: AccessRequestView) => (await withClocks(store.db, [view]))[0]!;
  app.post(
    '/api/v1/access-requests',
    {
      schema: {
        tags,
        summary:
          'Request access to a 有条件共享 resource for one of your organisation’s applications (analyst)',
        body: CreateAccessRequestSchema,
        response: { 201: AccessRequestWithClockSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const created = await createAccessRequest(store.db, request.actor, request.body);
      await recordEvent(
        audit,
        request,
        'access_request.created',
        {
          accessRequestId: created.id,
          applicationId: created.applicationId,
          resourceCode: created.resource.code,
          items: created.items,
          purpose: created.purpose,
        },
        { resources: [created.resource.code] },
      );
      return reply.code(201).send(await clocked(created));
    },
  );

  app.get(
    '/api/v1/access-requests',
    {
      schema: {
        tags,
        summary:
          'List requests: your organisation’s (consumer), those made to it (provider), or awaiting you (todo)',
        querystring: PageQuerySchema.extend({
          scope: z.enum(['consumer', 'provider', 'todo']).default('consumer'),
          status: AccessRequestStatusSchema.optional(),
        }).strict(),
        response: { 200: pageSchema(AccessRequestWithClockSchema), ...refusals },
      },
    },
    async (request) => {
      const { scope, status, ...page } = request.query;
      const found = await listAccessRequests(store.db, request.actor, scope, page, { status });
      return { ...found, items: await withClocks(store.db, found.items) };
    },
  );

  app.get(
    '/api/v1/access-requests/stats',
    {
      schema: {
        tags,
        summary:
          'Approval figures: requests by status, median, mean and 90th-percentile hours from filing to decision, the longest wait (any signed-in member; scope provider|consumer narrows to your organisation)',
        querystring: z.strictObject({ scope: StatsScopeSchema.default('platform') }),
        response: { 200: RequestStatsSchema, ...refusals },
      },
    },
    async (request) => requestStats(store.db, request.actor, request.query.scope),
  );

  app.get(
    '/api/v1/access-requests/:id',
    {
      schema: {
        tags,
        summary: 'One request, with its steps and who must act next since when',
        params: IdParams,
        response: { 200: AccessRequestWithClockSchema, ...refusals },
      },
    },
    async (request) => clocked(await getAccessRequest(store.db, request.actor, request.params.id)),
  );

  app.post(
    '/api/v1/access-requests/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a pending request (the applicant’s organisation)',
        params: IdParams,
        response: { 200: AccessRequestWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const withdrawn = await withdrawAccessRequest(store.db, request.actor, request.params.id);
      await recordEvent(audit, request, 'access_request.withdrawn', { accessRequestId: withdrawn.id });
      return clocked(withdrawn);
    },
  );

  app.post(
    '/api/v1/access-requests/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve the current step, in full or in part (provider’s steward, then security officer)',
        params: IdParams,
        body: ApprovalTermsSchema,
        response: {
          200: z.object({ request: AccessRequestWithClockSchema, grant: GrantSchema.nullable() }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const outcome = await approveAccessRequest(store.db, request.actor, request.params.id, request.body);
      const step = outcome.request.steps.filter((s) => s.status === 'approved').at(-1);
      await recordEvent(
        audit,
        request,
        'access_request.approved',
        { accessRequestId: outcome.request.id, step: step?.role ?? null, status: outcome.request.status },
        { resources: [outcome.request.resource.code] },
      );
      if (outcome.grant) {
        const g = outcome.grant;
        await recordEvent(
          audit,
          request,
          'grant.created',
          {
            grantId: g.id,
            accessRequestId: outcome.request.id,
            applicationId: g.applicationId,
            consumerOrgId: g.consumerOrgId,
            items: g.items.map((i) => `${i.name}:${i.mask.kind}`),
            validUntil: g.validUntil,
            callsPerDay: g.quota?.callsPerDay ?? null,
            rowsPerDay: g.quota?.rowsPerDay ?? null,
          },
          { resources: [g.resourceCode] },
        );
      }
      return { ...outcome, request: await clocked(outcome.request) };
    },
  );

  app.post(
    '/api/v1/access-requests/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a request with a coded reason and a text',
        params: IdParams,
        body: RejectionSchema,
        response: { 200: AccessRequestWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const rejected = await rejectAccessRequest(store.db, request.actor, request.params.id, request.body);
      await recordEvent(
        audit,
        request,
        'access_request.rejected',
        { accessRequestId: rejected.id, reason: request.body.reason, text: request.body.text },
        { resources: [rejected.resource.code] },
      );
      return clocked(rejected);
    },
  );
}
