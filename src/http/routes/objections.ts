import { z } from 'zod';
import {
  actOnObjection,
  getObjection,
  listObjections,
  type ObjectionAction,
  ObjectionConfirmSchema,
  ObjectionListQuerySchema,
  ObjectionReplySchema,
  ObjectionStatsQuerySchema,
  ObjectionStatsSchema,
  type ObjectionView,
  ObjectionWithClockSchema,
  objectionStats,
  objectionTimes,
  RaiseObjectionSchema,
  raiseObjection,
  withStepClocks,
} from '../../governance/index.js';
import { pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { callerOf } from './query.js';
import { refusals } from './schemas.js';

const tags = ['governance'];
const IdParams = z.strictObject({ id: z.uuid() });
const BASE = '/api/v1/governance/objections';

const EVENTS: Record<ObjectionAction, string> = {
  correct: 'objection.answered',
  explain: 'objection.answered',
  confirm: 'objection.confirmed',
  reopen: 'objection.reopened',
};

const SUMMARIES: Record<ObjectionAction, string> = {
  correct: 'The provider has corrected the rows at the source (provider’s data steward; open or reopened)',
  explain: 'The provider explains why the data stands (provider’s data steward; open or reopened)',
  confirm: 'The consumer accepts the answer: closed (the objecting organisation; corrected or explained)',
  reopen:
    'The consumer does not accept the answer, with its reason; the deadline starts again (the objecting organisation; corrected or explained)',
};

/** 异议处理: consumers object to rows, providers correct or explain (docs/governance.md). */
export async function objectionRoutes(app: App, { store, audit, query }: AppContext): Promise<void> {
  // Each objection with its clock (时限), joined here as the access requests are.
  const clocked = async (o: ObjectionView) =>
    (await withStepClocks(store.db, 'objection', [o], objectionTimes))[0]!;

  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Objections raised by my organisation and against it, newest first',
        querystring: ObjectionListQuerySchema,
        response: { 200: pageSchema(ObjectionWithClockSchema), ...refusals },
      },
    },
    async (request) => {
      const found = await listObjections(store.db, request.actor, request.query);
      return { ...found, items: await withStepClocks(store.db, 'objection', found.items, objectionTimes) };
    },
  );

  app.get(
    `${BASE}/stats`,
    {
      schema: {
        tags,
        summary: 'Objections to one resource: counts by state, disputed rows, time to answer (its provider)',
        querystring: ObjectionStatsQuerySchema,
        response: { 200: ObjectionStatsSchema, ...refusals },
      },
    },
    async (request) => objectionStats(store.db, request.actor, request.query.resource),
  );

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary:
          'Object to rows of a resource you read (提出异议): the rows are looked up through your own read first',
        body: RaiseObjectionSchema,
        response: { 201: ObjectionWithClockSchema, ...refusals, 429: refusals[400] },
      },
    },
    async (request, reply) => {
      const raised = await raiseObjection(query, callerOf(request), request.body);
      await recordEvent(audit, request, 'objection.raised', eventData(raised), {
        resources: [raised.resource.code],
      });
      return reply.code(201).send(await clocked(raised));
    },
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'One objection (either party)',
        params: IdParams,
        response: { 200: ObjectionWithClockSchema, ...refusals },
      },
    },
    async (request) => clocked(await getObjection(store.db, request.actor, request.params.id)),
  );

  for (const action of ['correct', 'explain', 'reopen'] as const)
    app.post(
      `${BASE}/:id/${action}`,
      {
        schema: {
          tags,
          summary: SUMMARIES[action],
          params: IdParams,
          body: ObjectionReplySchema,
          response: { 200: ObjectionWithClockSchema, ...refusals },
        },
      },
      async (request) => {
        const done = await actOnObjection(
          store.db,
          request.actor,
          request.params.id,
          action,
          request.body.reply,
        );
        await recordEvent(audit, request, EVENTS[action], eventData(done), {
          resources: [done.resource.code],
        });
        return clocked(done);
      },
    );

  app.post(
    `${BASE}/:id/confirm`,
    {
      schema: {
        tags,
        summary: SUMMARIES.confirm,
        params: IdParams,
        body: ObjectionConfirmSchema,
        response: { 200: ObjectionWithClockSchema, ...refusals },
      },
    },
    async (request) => {
      const done = await actOnObjection(
        store.db,
        request.actor,
        request.params.id,
        'confirm',
        request.body.comment,
      );
      await recordEvent(audit, request, EVENTS.confirm, eventData(done), { resources: [done.resource.code] });
      return clocked(done);
    },
  );
}

/** What an objection's audit entry says: who, which resource, how many rows, the state; never a key. */
function eventData(o: ObjectionView) {
  return {
    objectionId: o.id,
    providerId: o.provider.id,
    consumerId: o.consumer.id,
    rows: o.rowKeys.length,
    items: o.items,
    status: o.status,
  };
}
