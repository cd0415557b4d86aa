// Governance endpoints: the working-day calendar, deadline rules and the SLA (docs/governance.md).

import type {
  DeadlineRuleInput,
  DeadlineRuleView,
  OverrideInput,
  OverrideView,
  SlaReport,
} from '../../../src/governance/schemas.js';
import { api } from './client.js';

export type { DeadlineRuleInput, DeadlineRuleView, OverrideInput, OverrideView, SlaReport };

export const governanceApi = {
  sla: () => api.get<SlaReport>('/api/v1/governance/sla'),
  rules: () => api.get<DeadlineRuleView[]>('/api/v1/governance/deadline-rules'),
  setRule: (body: DeadlineRuleInput) => api.put<DeadlineRuleView>('/api/v1/governance/deadline-rules', body),
  overrides: () => api.get<OverrideView[]>('/api/v1/governance/calendar/overrides'),
  setOverride: (day: string, body: OverrideInput) =>
    api.put<OverrideView>(`/api/v1/governance/calendar/overrides/${day}`, body),
  removeOverride: (day: string) => api.delete<OverrideView>(`/api/v1/governance/calendar/overrides/${day}`),
};
