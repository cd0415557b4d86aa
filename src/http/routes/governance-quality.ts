import { z } from 'zod';
import {
  addQualityRule,
  QualityRuleInputSchema,
  QualityRuleSchema,
  QualityRunSchema,
  QualityScheduleInputSchema,
  QualityScheduleSchema,
  QualityScoresSchema,
  qualityScores,
  ResourceQualitySchema,
  ResourceScoreSchema,
  removeQualityRule,
  resourceQuality,
  resourceScore,
  runQualityNow,
  setQualitySchedule,
} from '../../governance/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { refusals } from './schemas.js';

const tags = ['governance'];
const CodeParams = z.strictObject({ code: z.string().min(1).max(64) });
const base = '/api/v1/governance/quality';

/** Data quality (数据质量): rules, schedules, runs and scores (docs/governance.md). */
export async function qualityRoutes(app: App, { store, audit, query }: AppContext): Promise<void> {
  app.get(
    `${base}/scores`,
    {
      schema: {
        tags,
        summary: 'Quality scores by department and resource (the latest successful run of each)',
        response: { 200: QualityScoresSchema, ...refusals },
      },
    },
    async (request) => qualityScores(store.db, request.actor),
  );

  app.get(
    `${base}/resources/:code/score`,
    {
      schema: {
        tags,
        summary: 'A resource’s latest quality score, as the catalog shows it (whoever sees the resource)',
        params: CodeParams,
        response: { 200: ResourceScoreSchema, ...refusals },
      },
    },
    async (request) => resourceScore(store.db, request.actor, request.params.code),
  );

  app.get(
    `${base}/resources/:code`,
    {
      schema: {
        tags,
        summary:
          'A resource’s rules, schedule, latest run with its issues (masked samples) and trend (the provider’s stewards)',
        params: CodeParams,
        response: { 200: ResourceQualitySchema, ...refusals },
      },
    },
    async (request) => resourceQuality(query, request.actor, request.params.code),
  );

  app.post(
    `${base}/resources/:code/rules`,
    {
      schema: {
        tags,
        summary: 'Add a quality rule to a resource (the provider’s stewards)',
        params: CodeParams,
        body: QualityRuleInputSchema,
        response: { 201: QualityRuleSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const { resource, rule } = await addQualityRule(
        query,
        request.actor,
        request.params.code,
        request.body,
      );
      await recordEvent(
        audit,
        request,
        'quality.rule_added',
        {
          ruleId: rule.id,
          kind: rule.kind,
          items: rule.items,
          format: rule.format,
          target: rule.target ? `${rule.target.resource}.${rule.target.item}` : null,
        },
        { resources: [resource.code, ...(rule.target ? [rule.target.resource] : [])] },
      );
      return reply.code(201).send(rule);
    },
  );

  app.delete(
    `${base}/resources/:code/rules/:id`,
    {
      schema: {
        tags,
        summary: 'Remove a steward’s quality rule (defaults are switched off with the schedule)',
        params: CodeParams.extend({ id: z.uuid() }),
        response: { 200: QualityRuleSchema, ...refusals },
      },
    },
    async (request) => {
      const { resource, rule } = await removeQualityRule(
        store.db,
        request.actor,
        request.params.code,
        request.params.id,
      );
      await recordEvent(
        audit,
        request,
        'quality.rule_removed',
        { ruleId: rule.id, kind: rule.kind },
        { resources: [resource.code] },
      );
      return rule;
    },
  );

  app.put(
    `${base}/resources/:code/schedule`,
    {
      schema: {
        tags,
        summary: 'How often a resource’s rules run (15 minutes to 31 days), and whether the defaults apply',
        params: CodeParams,
        body: QualityScheduleInputSchema,
        response: { 200: QualityScheduleSchema, ...refusals },
      },
    },
    async (request) => {
      const { resource, schedule } = await setQualitySchedule(
        store.db,
        request.actor,
        request.params.code,
        request.body,
      );
      await recordEvent(
        audit,
        request,
        'quality.schedule_set',
        { everyMinutes: schedule.everyMinutes, useDefaults: schedule.useDefaults },
        { resources: [resource.code] },
      );
      return schedule;
    },
  );

  app.post(
    `${base}/resources/:code/runs`,
    {
      schema: {
        tags,
        summary:
          'Run a resource’s rules now (立即检查); a source that is down gives a failed run, not a zero score',
        params: CodeParams,
        response: { 201: QualityRunSchema, ...refusals },
      },
    },
    // runQualityNow writes the run's own audit entry (quality.run_recorded).
    async (request, reply) =>
      reply
        .code(201)
        .send(await runQualityNow(query, request.actor, request.params.code, String(request.id))),
  );
}
