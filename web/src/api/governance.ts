// Governance endpoints: the working-day calendar, deadline rules and the SLA (docs/governance.md).

import type { DeadlineRuleView, SlaReport } from '../../../src/governance/schemas.js';
import { api } from './client.js';

export type { DeadlineRuleView, SlaReport };

export const governanceApi = {
  sla: () => api.get<SlaReport>('/api/v1/governance/sla'),
  rules: () => api.get<DeadlineRuleView[]>('/api/v1/governance/deadline-rules'),
};
