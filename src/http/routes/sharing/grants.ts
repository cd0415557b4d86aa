import { z } from 'zod';
import { ResourceCodeSchema } from '../../../catalog/index.js';
import {
  changeGrantStatus,
  type GrantChange,
  GrantSchema,
  GrantStatusChangeSchema,
  getGrant,
  grantPrivacyBudget,
  grantToOdrl,
  grantUsage,
  listGrants,
  lowerPrivacyBudget,
  PrivacyBudgetSchema,
  PrivacyBudgetStateSchema,
  UsageSchema,
} from '../../../sharing/index.js';
import { PageQuerySchema, pageSchema } from '../../../store/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { IdParams, refusals } from '../schemas.js';
import { DayRangeQuery } from './params.js';

const tags = ['sharing: grants'];

/** Grants (授权): read by both sides, suspended, resumed and revoked by the provider, rendered in ODRL. */
export async function grantRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.get(
    '/api/v1/grants',
    {
      schema: {
        tags,
        summary: 'Grants your organisation holds (consumer) or gave (provider)',
        querystring: PageQuerySchema.extend({
          side: z.enum(['consumer', 'provider']).default('consumer'),
          resourceCode: ResourceCodeSchema.optional(),
        }).strict(),
        response: { 200: pageSchema(GrantSchema), ...refusals },
      },
    },
    async (request) => {
      const { side, resourceCode, ...page } = request.query;
      return listGrants(store.db, request.actor, side, page, { resourceCode });
    },
  );

  app.get(
    '/api/v1/grants/:id',
    {
      schema: { tags, summary: 'One grant', params: IdParams, response: { 200: GrantSchema, ...refusals } },
    },
    async (request) => getGrant(store.db, request.actor, request.params.id),
  );

  app.get(
    '/api/v1/grants/:id.jsonld',
    {
      schema: {
        tags,
        summary: 'One grant as an ODRL 2.2 Agreement (JSON-LD)',
        params: IdParams,
        response: { 200: z.record(z.string(), z.unknown()), ...refusals },
      },
    },
    async (request, reply) => {
      const grant = await getGrant(store.db, request.actor, request.params.id);
      const base = `${request.protocol}://${request.host}`;
      return reply.type('application/ld+json; charset=utf-8').send(grantToOdrl(grant, base));
    },
  );

  app.get(
    '/api/v1/grants/:id/usage',
    {
      schema: {
        tags,
        summary: 'Daily calls and rows of a grant (Asia/Shanghai days; the last 30 by default)',
        params: IdParams,
        querystring: DayRangeQuery,
        response: { 200: z.object({ items: z.array(UsageSchema) }), ...refusals },
      },
    },
    async (request) => ({
      items: await grantUsage(store.db, request.actor, request.params.id, request.query),
    }),
  );

  app.get(
    '/api/v1/grants/:id/privacy-budget',
    {
      schema: {
        tags,
        summary: 'A statistics grant’s ε budget: the limits, and ε spent today and in all',
        params: IdParams,
        response: { 200: PrivacyBudgetStateSchema, ...refusals },
      },
    },
    async (request) => grantPrivacyBudget(store.db, request.actor, request.params.id),
  );

  app.put(
    '/api/v1/grants/:id/privacy-budget',
    {
      schema: {
        tags,
        summary:
          'Lower a statistics grant’s ε budget (provider); it can never be raised above the approved one',
        params: IdParams,
        body: PrivacyBudgetSchema,
        response: { 200: GrantSchema, ...refusals },
      },
    },
    async (request) => {
      const grant = await lowerPrivacyBudget(store.db, request.actor, request.params.id, request.body);
      await recordEvent(
        audit,
        request,
        'grant.budget_lowered',
        // The log holds integers only: ε in millionths, as in release entries (epsilonMicro).
        {
          grantId: grant.id,
          epsilonPerDayMicro: Math.round(request.body.epsilonPerDay * 1e6),
          epsilonTotalMicro: Math.round(request.body.epsilonTotal * 1e6),
        },
        { resources: [grant.resourceCode] },
      );
      return grant;
    },
  );

  const change = (action: GrantChange, summary: string) =>
    app.post(
      `/api/v1/grants/:id/${action}`,
      {
        schema: {
          tags,
          summary,
          params: IdParams,
          body: GrantStatusChangeSchema.nullish(),
          response: { 200: GrantSchema, ...refusals },
        },
      },
      async (request) => {
        const reason = request.body?.reason ?? '';
        const grant = await changeGrantStatus(store.db, request.actor, request.params.id, action, reason);
        await recordEvent(
          audit,
          request,
          `grant.${grant.status === 'active' ? 'resumed' : grant.status}`,
          { grantId: grant.id, reason },
          { resources: [grant.resourceCode] },
        );
        return grant;
      },
    );
  change('suspend', 'Suspend a grant (provider): refused from the next request on');
  change('resume', 'Resume a suspended grant (provider)');
  change('revoke', 'Revoke a grant for good (provider): refused from the next request on');
}
