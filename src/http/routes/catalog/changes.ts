import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../../../audit/index.js';
import {
  ApproveChangeSchema,
  approveChange,
  type CatalogChangeView,
  ChangeListQuerySchema,
  getChange,
  listChanges,
  RefuseChangeSchema,
  ResourceSchema,
  type ReviewSetting,
  refuseChange,
  resourcePolicy,
  withdrawChange,
} from '../../../catalog/index.js';
import {
  CatalogChangeWithClockSchema,
  catalogChangeTimes,
  withStepClocks,
} from '../../../governance/index.js';
import { notify } from '../../../sharing/index.js';
import { pageSchema } from '../../../store/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { IdParams, refusals } from '../schemas.js';
import { TAGS } from './params.js';

const tags = TAGS.review;

/** Whether catalog review is required on this platform (HUITONG_CATALOG_REVIEW), and how its notifications go. */
export function reviewSetting({ config }: Pick<AppContext, 'config'>): ReviewSetting {
  return { review: config.HUITONG_CATALOG_REVIEW === 'required', notify };
}

// What an entry records of a change: its subject and outcome, the names of the fields it sets
// (never their values: the change and, once approved, the version hold those).
const facts = (change: CatalogChangeView) => ({
  changeId: change.id,
  kind: change.kind,
  status: change.status,
  resourceId: change.resource.id,
  providerId: change.providerId,
  baseVersion: change.baseVersion,
  fields: change.diff.map((d) => d.field),
});

/** Logs a steward's submission of a change for catalog review. */
export async function recordSubmitted(
  audit: AuditLog,
  request: FastifyRequest,
  change: CatalogChangeView,
): Promise<void> {
  await recordEvent(audit, request, 'catalog_change.submitted', facts(change), {
    resources: [change.resource.code],
  });
}

/**
 * Catalog review (目录审核): the queue and each change's field-by-field diff for the platform's
 * catalog reviewers (and a provider's stewards, for their own entries); approval, refusal with a
 * coded reason, and the steward's withdrawal.
 */
export async function catalogChangeRoutes(app: App, context: AppContext): Promise<void> {
  const { store, audit } = context;
  const setting = reviewSetting(context);
  // Each change with its review clock (时限), joined here: catalog never imports governance.
  const clocked = async (c: CatalogChangeView) =>
    (await withStepClocks(store.db, 'catalog_review', [c], catalogChangeTimes))[0]!;

  app.get(
    '/api/v1/catalog/changes',
    {
      schema: {
        tags,
        summary:
          'Catalog changes, oldest first: every provider’s for a catalog reviewer, your organisation’s for a steward',
        querystring: ChangeListQuerySchema,
        response: { 200: pageSchema(CatalogChangeWithClockSchema), ...refusals },
      },
    },
    async (request) => {
      const found = await listChanges(store.db, request.actor, request.query);
      return {
        ...found,
        items: await withStepClocks(store.db, 'catalog_review', found.items, catalogChangeTimes),
      };
    },
  );

  app.get(
    '/api/v1/catalog/changes/:id',
    {
      schema: {
        tags,
        summary: 'One catalog change with its field-by-field diff against the published version',
        params: IdParams,
        response: { 200: CatalogChangeWithClockSchema, ...refusals },
      },
    },
    async (request) => clocked(await getChange(store.db, request.actor, request.params.id)),
  );

  app.post(
    '/api/v1/catalog/changes/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a pending change (a catalog reviewer, never its author): it is published at once',
        params: IdParams,
        body: ApproveChangeSchema,
        response: {
          200: z.object({ change: CatalogChangeWithClockSchema, resource: ResourceSchema }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const done = await approveChange(
        store.db,
        request.actor,
        request.params.id,
        request.body,
        setting.notify,
      );
      const { change, resource } = done;
      await recordEvent(audit, request, 'catalog_change.approved', facts(change), {
        resources: [resource.code],
      });
      // The same entry as a publication or change applied at once, so that what reads the log
      // for resource events (lineage, alerts) sees it; its actor is the approving reviewer.
      await recordEvent(
        audit,
        request,
        change.kind === 'publish' ? 'resource.published' : 'resource.updated',
        {
          ...resourcePolicy(resource),
          ...(change.kind === 'update' ? { fields: facts(change).fields, previousCode: null } : {}),
          changeId: change.id,
        },
        { resources: [resource.code] },
      );
      return { change: await clocked(change), resource };
    },
  );

  app.post(
    '/api/v1/catalog/changes/:id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse a pending change with a coded reason (a catalog reviewer, never its author)',
        params: IdParams,
        body: RefuseChangeSchema,
        response: { 200: CatalogChangeWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const change = await refuseChange(
        store.db,
        request.actor,
        request.params.id,
        request.body,
        setting.notify,
      );
      await recordEvent(
        audit,
        request,
        'catalog_change.refused',
        { ...facts(change), reasonCode: change.reasonCode },
        { resources: [change.resource.code] },
      );
      return clocked(change);
    },
  );

  app.post(
    '/api/v1/catalog/changes/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a pending change (a steward of the provider); the entry stays as it was',
        params: IdParams,
        response: { 200: CatalogChangeWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const change = await withdrawChange(store.db, request.actor, request.params.id);
      await recordEvent(audit, request, 'catalog_change.withdrawn', facts(change), {
        resources: [change.resource.code],
      });
      return clocked(change);
    },
  );
}
