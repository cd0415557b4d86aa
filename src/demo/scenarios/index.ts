import type { ScenarioContext, ScenarioOutcome } from './context.js';
import { deadlinesAndObjection } from './deadlines-objection.js';
import { leakTrace } from './leak-trace.js';
import { residencePush } from './residence-push.js';
import { shellCompanies } from './shell-companies.js';
import { subsistenceCheck } from './subsistence-check.js';
import { subsistenceStatistics } from './subsistence-statistics.js';
import { traceExport } from './trace-export.js';
import { verifyCitizen } from './verify-citizen.js';

export type { ScenarioContext, ScenarioOutcome } from './context.js';

/** The demo's scenarios by name (docs/scenarios/<name>.md tells each story). */
export const SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<ScenarioOutcome>> = {
  'shell-companies': shellCompanies,
  'subsistence-check': subsistenceCheck,
  'subsistence-statistics': subsistenceStatistics,
  'verify-citizen': verifyCitizen,
  'trace-export': traceExport,
  'deadlines-objection': deadlinesAndObjection,
  'leak-trace': leakTrace,
  'residence-push': residencePush,
};

/** The scenario names, for help texts. */
export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}
