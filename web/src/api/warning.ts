// Early-warning endpoints (安全预警, docs/warning.md): alerts and their lifecycle, the rules' settings.

import type {
  AlertStatus,
  AlertView,
  RiskScore,
  RuleSettingsInput,
  RuleView,
  Severity,
} from '../../../src/warning/schemas.js';
import { api, type Page } from './client.js';

export type { AlertStatus, AlertView, RiskScore, RuleSettingsInput, RuleView, Severity };

export const warningApi = {
  alerts: (query: { status?: AlertStatus; severity?: Severity; limit?: number; cursor?: string } = {}) =>
    api.get<Page<AlertView>>('/api/v1/warning/alerts', query),
  acknowledge: (id: string, note?: string) =>
    api.post<AlertView>(`/api/v1/warning/alerts/${id}/acknowledge`, note ? { note } : {}),
  resolve: (id: string, note: string) =>
    api.post<AlertView>(`/api/v1/warning/alerts/${id}/resolve`, { note }),
  undoResponse: (id: string) => api.post<AlertView>(`/api/v1/warning/alerts/${id}/undo-response`),
  rules: () => api.get<RuleView[]>('/api/v1/warning/rules'),
  risk: (applicationId: string) => api.get<RiskScore>(`/api/v1/warning/risk/applications/${applicationId}`),
  setRule: (rule: string, body: RuleSettingsInput) =>
    api.put<RuleView>(`/api/v1/warning/rules/${rule}`, body),
};
