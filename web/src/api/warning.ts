// Early-warning endpoints (安全预警, docs/warning.md): alerts and their lifecycle, the rules' settings.

import type {
  AlertEvent,
  AlertStatus,
  AlertView,
  BaselineConsumer,
  ConsumerBaseline,
  Officer,
  RiskScore,
  RuleSettingsInput,
  RuleView,
  Severity,
  WarningSummary,
} from '../../../src/warning/schemas.js';
import { api, type Page } from './client.js';

export type {
  AlertEvent,
  AlertStatus,
  AlertView,
  BaselineConsumer,
  ConsumerBaseline,
  Officer,
  RiskScore,
  RuleSettingsInput,
  RuleView,
  Severity,
  WarningSummary,
};

export const warningApi = {
  alerts: (query: { status?: AlertStatus; severity?: Severity; limit?: number; cursor?: string } = {}) =>
    api.get<Page<AlertView>>('/api/v1/warning/alerts', query),
  acknowledge: (id: string, note?: string) =>
    api.post<AlertView>(`/api/v1/warning/alerts/${id}/acknowledge`, note ? { note } : {}),
  assign: (id: string, userId: string) =>
    api.post<AlertView>(`/api/v1/warning/alerts/${id}/assign`, { userId }),
  officers: () => api.get<Officer[]>('/api/v1/warning/officers'),
  resolve: (id: string, note: string) =>
    api.post<AlertView>(`/api/v1/warning/alerts/${id}/resolve`, { note }),
  undoResponse: (id: string) => api.post<AlertView>(`/api/v1/warning/alerts/${id}/undo-response`),
  summary: () => api.get<WarningSummary>('/api/v1/warning/summary'),
  baselineConsumers: (q?: string) =>
    api.get<BaselineConsumer[]>('/api/v1/warning/baselines', q ? { q, limit: 50 } : { limit: 50 }),
  baseline: (consumer: string) =>
    api.get<ConsumerBaseline>(`/api/v1/warning/baselines/${encodeURIComponent(consumer)}`),
  rules: () => api.get<RuleView[]>('/api/v1/warning/rules'),
  risk: (applicationId: string) => api.get<RiskScore>(`/api/v1/warning/risk/applications/${applicationId}`),
  setRule: (rule: string, body: RuleSettingsInput) =>
    api.put<RuleView>(`/api/v1/warning/rules/${rule}`, body),
};
