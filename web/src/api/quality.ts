// Data quality endpoints (docs/governance.md, "Data quality").

import type {
  QualityRule,
  QualityRuleInput,
  QualityRun,
  QualityScores,
  ResourceQuality,
  ResourceScore,
} from '../../../src/governance/quality/schemas.js';
import { api } from './client.js';

export type { QualityRule, QualityRuleInput, QualityRun, QualityScores, ResourceQuality, ResourceScore };

const base = '/api/v1/governance/quality';

export const qualityApi = {
  scores: () => api.get<QualityScores>(`${base}/scores`),
  score: (code: string) => api.get<ResourceScore>(`${base}/resources/${encodeURIComponent(code)}/score`),
  resource: (code: string) => api.get<ResourceQuality>(`${base}/resources/${encodeURIComponent(code)}`),
  run: (code: string) => api.post<QualityRun>(`${base}/resources/${encodeURIComponent(code)}/runs`, {}),
  addRule: (code: string, body: QualityRuleInput) =>
    api.post<QualityRule>(`${base}/resources/${encodeURIComponent(code)}/rules`, body),
};
