import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageSchema } from '../../store/index.js';
import {
  AcknowledgeSchema,
  type AlertChange,
  AlertQuerySchema,
  AlertSchema,
  type AlertView,
  AssignSchema,
  acknowledgeAlert,
  applicationRisk,
  assignAlert,
  BaselineConsumerQuerySchema,
  BaselineConsumerSchema,
  baselineConsumers,
  ConsumerBaselineSchema,
  consumerBaseline,
  getAlert,
  listAlerts,
  listOfficers,
  listRules,
  OfficerSchema,
  ResolveSchema,
  RiskScoreSchema,
  RuleSettingsInputSchema,
  type RuleView,
  RuleViewSchema,
  resolveAlert,
  ruleOf,
  setRule,
  undoResponse,
  WarningSummarySchema,
  warningSummary,
} from '../../warning/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['warning'];
const BASE = '/api/v1/warning';
const RuleParams = z.strictObject({ rule: z.string().max(100) });
const ConsumerParams = z.strictObject({ consumer: z.string().min(1).max(300) });
const pick = ({ enabled, severity, response, settings }: RuleView) => ({
  enabled,
  severity,
  response,
  settings,
});

/** The early-warning centre (安全预警, docs/warning.md): alerts and their lifecycle, the rules' settings. */
export async function warningRoutes(app: App, { store, audit, warningPublisher }: AppContext): Promise<void> {
  // A security operations system following NATS sees the lifecycle as the console does. The
  // answer does not wait on it: a publication that fails is logged, the change stays stored.
  const published = (request: FastifyRequest, change: AlertChange, alert: AlertView) => {
    warningPublisher
      ?.publish(change, alert)
      .catch((error: unknown) =>
        request.log.warn(
          { alert: alert.id, error: error instanceof Error ? error.message : String(error) },
          'warning NATS publication failed',
        ),
      );
    return alert;
  };
  app.get(
    `${BASE}/alerts`,
    {
      schema: {
        tags,
        summary:
          'Alerts, newest first, by status, severity, rule, subject or assignee (security officer, auditor)',
        querystring: AlertQuerySchema,
        response: { 200: pageSchema(AlertSchema), ...refusals },
      },
    },
    async (request) => listAlerts(store.db, request.actor, request.query),
  );

  app.get(
    `${BASE}/officers`,
    {
      schema: {
        tags,
        summary: 'The active security officers alerts can be assigned to (security officer, auditor)',
        response: { 200: z.array(OfficerSchema), ...refusals },
      },
    },
    async (request) => listOfficers(store.db, request.actor),
  );

  app.get(
    `${BASE}/summary`,
    {
      schema: {
        tags,
        summary:
          'The warning centre at a glance: open and acknowledged alerts by severity, alerts per day over 30 days, the latest alert events (security officer, auditor)',
        response: { 200: WarningSummarySchema, ...refusals },
      },
    },
    async (request) => warningSummary(store.db, request.actor),
  );

  app.get(
    `${BASE}/baselines`,
    {
      schema: {
        tags,
        summary:
          'The consumers whose hourly volume the baselines learn, the busiest first, by part of their name (security officer, auditor)',
        querystring: BaselineConsumerQuerySchema,
        response: { 200: z.array(BaselineConsumerSchema), ...refusals },
      },
    },
    async (request) => baselineConsumers(store.db, request.actor, request.query),
  );

  app.get(
    `${BASE}/baselines/:consumer`,
    {
      schema: {
        tags,
        summary:
          'A consumer’s last seven days hour by hour against its learned baseline and the volume rule’s threshold (security officer, auditor)',
        params: ConsumerParams,
        response: { 200: ConsumerBaselineSchema, ...refusals },
      },
    },
    async (request) => consumerBaseline(store.db, request.actor, request.params.consumer),
  );

  app.get(
    `${BASE}/risk/applications/:id`,
    {
      schema: {
        tags,
        summary:
          'A consumer application’s risk score (0–100) and the rules behind it (security officer, auditor, stewards reviewing its requests)',
        params: IdParams,
        response: { 200: RiskScoreSchema, ...refusals },
      },
    },
    async (request) => applicationRisk(store.db, request.actor, request.params.id),
  );

  app.get(
    `${BASE}/alerts/:id`,
    {
      schema: {
        tags,
        summary: 'One alert with the audit entries that triggered it (security officer, auditor)',
        params: IdParams,
        response: { 200: AlertSchema, ...refusals },
      },
    },
    async (request) => getAlert(store.db, request.actor, request.params.id),
  );

  app.post(
    `${BASE}/alerts/:id/acknowledge`,
    {
      schema: {
        tags,
        summary: 'Acknowledge an open alert, optionally with a note (security officer)',
        params: IdParams,
        body: AcknowledgeSchema,
        response: { 200: AlertSchema, ...refusals },
      },
    },
    async (request) => {
      const alert = await acknowledgeAlert(store.db, request.actor, request.params.id, request.body.note);
      await recordEvent(audit, request, 'warning.alert_acknowledged', {
        alertId: alert.id,
        rule: alert.rule,
      });
      return published(request, 'acknowledged', alert);
    },
  );

  app.post(
    `${BASE}/alerts/:id/resolve`,
    {
      schema: {
        tags,
        summary: 'Resolve an alert with a note saying what was found and done (security officer)',
        params: IdParams,
        body: ResolveSchema,
        response: { 200: AlertSchema, ...refusals },
      },
    },
    async (request) => {
      const alert = await resolveAlert(store.db, request.actor, request.params.id, request.body.note);
      await recordEvent(audit, request, 'warning.alert_resolved', {
        alertId: alert.id,
        rule: alert.rule,
        note: request.body.note,
      });
      return published(request, 'resolved', alert);
    },
  );

  app.post(
    `${BASE}/alerts/:id/assign`,
    {
      schema: {
        tags,
        summary: 'Assign an alert to a security officer (security officer)',
        params: IdParams,
        body: AssignSchema,
        response: { 200: AlertSchema, ...refusals },
      },
    },
    async (request) => {
      const alert = await assignAlert(store.db, request.actor, request.params.id, request.body.userId);
      await recordEvent(audit, request, 'warning.alert_assigned', {
        alertId: alert.id,
        rule: alert.rule,
        assigneeId: request.body.userId,
      });
      return published(request, 'assigned', alert);
    },
  );
  app.post(
    `${BASE}/alerts/:id/undo-response`,
    {
      schema: {
        tags,
        summary:
          'Undo the automatic response of an alert: resume the key or grant it suspended (security officer)',
        params: IdParams,
        response: { 200: AlertSchema, ...refusals },
      },
    },
    async (request) => {
      const alert = await undoResponse(store.db, request.actor, request.params.id);
      const data = { alertId: alert.id, rule: alert.rule, target: alert.response!.target };
      if (alert.response!.kind === 'suspend_key') await recordEvent(audit, request, 'api_key.resumed', data);
      else await recordEvent(audit, request, 'grant.resumed', { ...data, grantId: alert.response!.target });
      return published(request, 'response_undone', alert);
    },
  );

  app.get(
    `${BASE}/rules`,
    {
      schema: {
        tags,
        summary:
          'The detectors’ rules: what each watches, its severity and thresholds (security officer, auditor)',
        response: { 200: z.array(RuleViewSchema), ...refusals },
      },
    },
    async (request) => listRules(store.db, request.actor),
  );

  app.put(
    `${BASE}/rules/:rule`,
    {
      schema: {
        tags,
        summary: 'Change a rule: on or off, its severity, its thresholds (security officer; audited)',
        params: RuleParams,
        body: RuleSettingsInputSchema,
        response: { 200: RuleViewSchema, ...refusals },
      },
    },
    async (request) => {
      const { before, after } = await setRule(
        store.db,
        request.actor,
        ruleOf(request.params.rule),
        request.body,
      );
      await recordEvent(audit, request, 'warning.rule_set', {
        rule: after.rule,
        enabled: after.enabled,
        severity: after.severity,
        response: after.response,
        before: JSON.stringify(pick(before)),
        after: JSON.stringify(pick(after)),
      });
      return after;
    },
  );
}
