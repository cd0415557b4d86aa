// Governance endpoints: the working-day calendar, deadline rules and the SLA (docs/governance.md).

import type { AssessmentReport } from '../../../src/governance/assessments/schemas.js';
import type {
  DeadlineRuleInput,
  DeadlineRuleView,
  OverrideInput,
  OverrideView,
  SlaReport,
} from '../../../src/governance/schemas.js';
import { api } from './client.js';

/** The steps the SLA page counts. */
export type SlaStep = SlaReport['step'];
export type { AssessmentReport, DeadlineRuleInput, DeadlineRuleView, OverrideInput, OverrideView, SlaReport };

export const governanceApi = {
  sla: (step: SlaStep = 'access_request') => api.get<SlaReport>('/api/v1/governance/sla', { step }),
  rules: () => api.get<DeadlineRuleView[]>('/api/v1/governance/deadline-rules'),
  setRule: (body: DeadlineRuleInput) => api.put<DeadlineRuleView>('/api/v1/governance/deadline-rules', body),
  overrides: () => api.get<OverrideView[]>('/api/v1/governance/calendar/overrides'),
  setOverride: (day: string, body: OverrideInput) =>
    api.put<OverrideView>(`/api/v1/governance/calendar/overrides/${day}`, body),
  removeOverride: (day: string) => api.delete<OverrideView>(`/api/v1/governance/calendar/overrides/${day}`),
};

/** The monthly assessment (月度考核) and the address of its exports. */
export const assessmentApi = {
  month: (month: string) => api.get<AssessmentReport>('/api/v1/governance/assessments', { month }),
  exportUrl: (month: string, format: 'xlsx' | 'pdf') =>
    `/api/v1/governance/assessments/export?month=${encodeURIComponent(month)}&format=${format}`,
};
