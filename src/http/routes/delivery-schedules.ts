import { z } from 'zod';
import {
  CreateDeliveryScheduleSchema,
  createSchedule,
  DeliveryRunViewSchema,
  DeliveryScheduleViewSchema,
  deleteSchedule,
  downloadRunFile,
  getSchedule,
  listRuns,
  listSchedules,
  runScheduleNow,
  type ScheduleEnvironment,
} from '../../exchange/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import type { App, AppContext } from '../types.js';
import { callerOf, send } from './query.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['subscriptions'];
const BASE = '/api/v1/delivery-schedules';

/** The environment the schedule routes and the server's runner share. */
export function scheduleEnvironment(config: AppContext['config']): ScheduleEnvironment {
  return { outbound: outboundPolicyFromConfig(config), dataDir: config.HUITONG_DATA_DIR };
}

/**
 * Scheduled delivery (定时全量交付, docs/subscriptions.md): a consumer application's cron schedule
 * of full exports of a granted resource into its staging database or as files. Each run is an
 * export through query/ (a release of the application's grant); a file is released again when
 * downloaded.
 */
export async function deliveryScheduleRoutes(app: App, { query, config }: AppContext): Promise<void> {
  const env = scheduleEnvironment(config);

  app.post(
    BASE,
    {
      schema: {
        tags,
        summary:
          'Schedule full exports of a granted resource (your application’s API key): a cron in a time zone (default Asia/Shanghai), into a staging database or as files',
        body: CreateDeliveryScheduleSchema,
        response: { 201: DeliveryScheduleViewSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createSchedule(query, env, request.actor, request.body, callerOf(request).requestId)),
  );

  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Your organisation’s delivery schedules, newest first',
        response: { 200: z.object({ items: z.array(DeliveryScheduleViewSchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listSchedules(query, request.actor) }),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'One delivery schedule: its next run, the last run’s outcome',
        params: IdParams,
        response: { 200: DeliveryScheduleViewSchema, ...refusals },
      },
    },
    async (request) => getSchedule(query, request.actor, request.params.id),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a delivery schedule, its runs and its files',
        params: IdParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await deleteSchedule(query, env, request.actor, request.params.id, callerOf(request).requestId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:id/run`,
    {
      schema: {
        tags,
        summary:
          'Run a delivery schedule now (a full export as its application); answers the run, failed with its code when refused',
        params: IdParams,
        response: { 201: DeliveryRunViewSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await runScheduleNow(query, env, request.actor, request.params.id, callerOf(request).requestId),
        ),
  );

  app.get(
    `${BASE}/:id/runs`,
    {
      schema: {
        tags,
        summary: 'A delivery schedule’s runs, newest first (rows, bytes, SHA-256 as released)',
        params: IdParams,
        response: { 200: z.object({ items: z.array(DeliveryRunViewSchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listRuns(query, request.actor, request.params.id) }),
  );

  app.get(
    `${BASE}/:id/runs/:runId/file`,
    {
      schema: {
        tags,
        summary:
          'Download a file run’s export: released again to you (your grant decided afresh, the quota charged, logged)',
        params: z.object({ id: z.uuid(), runId: z.uuid() }),
        produces: ['text/csv', 'application/x-ndjson', 'application/octet-stream'],
        response: { ...refusals, 429: refusals[400] },
      },
    },
    async (request, reply) => {
      const file = await downloadRunFile(query, callerOf(request), request.params.id, request.params.runId);
      return send(reply, { kind: 'stream', ...file });
    },
  );
}
