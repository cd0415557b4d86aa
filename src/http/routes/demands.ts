import {
  AnswerDemandSchema,
  AssignDemandSchema,
  answerDemand,
  assignDemand,
  CreateDemandSchema,
  closePublishedDemands,
  createDemand,
  DemandQuerySchema,
  type DemandView,
  DemandWithClockSchema,
  declineAssignment,
  demandTimes,
  getDemand,
  listDemands,
  ReasonSchema,
  withdrawDemand,
  withStepClocks,
} from '../../governance/index.js';
import { pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['governance: demands'];
const BASE = '/api/v1/governance/demands';

/** The demand list (需求清单, docs/governance.md): post, assign, decline, answer, withdraw, search. */
export async function demandRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  // A demand answered with a new entry closes when the entry is published, however that happens:
  // checked before demands are shown (and by the periodic sweep), never hooked into the catalog.
  const settle = () => closePublishedDemands(store.db, audit);
  // Each demand with its clock (时限), joined here as the access requests are.
  const clocked = async (d: DemandView) => (await withStepClocks(store.db, 'demand', [d], demandTimes))[0]!;
  const resources = (d: DemandView) => (d.answer?.resource ? [d.answer.resource.code] : undefined);

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary: 'Post a demand for data the catalog lacks (a member of an organisation)',
        body: CreateDemandSchema,
        response: { 201: DemandWithClockSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const created = await createDemand(store.db, request.actor, request.body);
      await recordEvent(audit, request, 'demand.created', {
        demandId: created.id,
        title: created.title,
        suggestedOrgId: created.suggestedOrganization?.id ?? null,
      });
      return reply.code(201).send(await clocked(created));
    },
  );

  app.get(
    BASE,
    {
      schema: {
        tags,
        summary:
          'Search the demand list, newest first (anyone signed in): words, status, assigned or requesting organisation',
        querystring: DemandQuerySchema,
        response: { 200: pageSchema(DemandWithClockSchema), ...refusals },
      },
    },
    async (request) => {
      await settle();
      const found = await listDemands(store.db, request.actor, request.query);
      return { ...found, items: await withStepClocks(store.db, 'demand', found.items, demandTimes) };
    },
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'One demand with its history (anyone signed in)',
        params: IdParams,
        response: { 200: DemandWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      await settle();
      return clocked(await getDemand(store.db, request.actor, request.params.id));
    },
  );

  app.post(
    `${BASE}/:id/assign`,
    {
      schema: {
        tags,
        summary:
          'Assign a waiting or returned demand to the department that should answer (platform administrator)',
        params: IdParams,
        body: AssignDemandSchema,
        response: { 200: DemandWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const assigned = await assignDemand(store.db, request.actor, request.params.id, request.body);
      await recordEvent(audit, request, 'demand.assigned', {
        demandId: assigned.id,
        assignedOrgId: assigned.assignedOrganization?.id ?? null,
      });
      return clocked(assigned);
    },
  );

  app.post(
    `${BASE}/:id/decline`,
    {
      schema: {
        tags,
        summary:
          'Decline the assignment as not your department’s, with a reason: back to the platform to reassign (the assigned department)',
        params: IdParams,
        body: ReasonSchema,
        response: { 200: DemandWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const declined = await declineAssignment(store.db, request.actor, request.params.id, request.body);
      await recordEvent(audit, request, 'demand.declined', {
        demandId: declined.id,
        reason: request.body.reason,
      });
      return clocked(declined);
    },
  );

  app.post(
    `${BASE}/:id/answer`,
    {
      schema: {
        tags,
        summary:
          'Answer an assigned demand: an existing published resource, a new catalog entry of yours (closes when published), or a refusal with reasons (the assigned department)',
        params: IdParams,
        body: AnswerDemandSchema,
        response: { 200: DemandWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const answered = await answerDemand(store.db, request.actor, request.params.id, request.body);
      const body = request.body;
      await recordEvent(
        audit,
        request,
        body.kind === 'refusal' ? 'demand.refused' : 'demand.answered',
        {
          demandId: answered.id,
          kind: body.kind,
          resourceCode: answered.answer?.resource?.code ?? null,
          status: answered.status,
          ...(body.kind === 'refusal' ? { reason: body.reason } : {}),
        },
        { resources: resources(answered) },
      );
      return clocked(answered);
    },
  );

  app.post(
    `${BASE}/:id/withdraw`,
    {
      schema: {
        tags,
        summary: 'Withdraw a demand not yet closed (the requesting organisation)',
        params: IdParams,
        response: { 200: DemandWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const withdrawn = await withdrawDemand(store.db, request.actor, request.params.id);
      await recordEvent(audit, request, 'demand.withdrawn', { demandId: withdrawn.id });
      return clocked(withdrawn);
    },
  );
}
