// Early warning (安全预警, issue 18): detectors over the audit log and the authentication events,
// evaluated incrementally from the log's order by one process at a time; alerts grouped per rule
// and subject with a lifecycle (open → acknowledged → resolved); the rules' thresholds set by the
// security officer. docs/warning.md explains each rule.

export { acknowledgeAlert, assignAlert, getAlert, listAlerts, resolveAlert } from './alerts.js';
export { BASELINE_HOURS, baselineConsumers, consumerBaseline } from './baselines.js';
export type { Detector, Finding } from './detectors/index.js';
export { type EngineOptions, type EvaluationResult, WarningEngine } from './engine.js';
export { type AlertChange, type AlertPublisher, alertSubject, natsPublisher } from './nats.js';
export { listOfficers } from './officers.js';
export { presentAlert, presentAlertEvents } from './presenters.js';
export { type GroupedAlert, MAX_ALERT_ENTRIES, type RaisedAlert } from './raise.js';
export { respondToAlert, undoResponse } from './respond.js';
export { applicationRisk, riskLevel, SEVERITY_POINTS } from './risk.js';
export { RULES } from './rules.js';
export * from './schemas.js';
export { type ActiveRule, listRules, loadRuleBook, type RuleBook, ruleOf, setRule } from './settings.js';
export { SUMMARY_DAYS, SUMMARY_EVENTS, shanghaiDay, warningSummary } from './summary.js';
export { webhookSender } from './webhook.js';
