// The demand list (需求清单, docs/governance.md): post, search, assign, decline, answer, withdraw.

import type {
  AnswerDemandInput,
  AssignDemandInput,
  DemandView as BareDemandView,
  CreateDemandInput,
  DemandStatus,
} from '../../../src/governance/demands/schemas.js';
import type { DeadlineClock } from '../../../src/governance/schemas.js';
import { api, type Page } from './client.js';

/** A demand with its clock (时限): null until it is assigned, as the routes show it. */
export type DemandView = BareDemandView & { deadline: DeadlineClock | null };
export type { AnswerDemandInput, CreateDemandInput, DemandStatus };

const base = '/api/v1/governance/demands';

/** Filters of the list. */
export interface DemandFilters {
  q?: string;
  status?: DemandStatus;
  assignedOrgId?: string;
  requesterOrgId?: string;
  limit?: number;
  cursor?: string;
}

export const demandsApi = {
  list: (filters: DemandFilters) => api.get<Page<DemandView>>(base, { ...filters }),
  get: (id: string) => api.get<DemandView>(`${base}/${id}`),
  create: (body: CreateDemandInput) => api.post<DemandView>(base, body),
  assign: (id: string, body: AssignDemandInput) => api.post<DemandView>(`${base}/${id}/assign`, body),
  decline: (id: string, reason: string) => api.post<DemandView>(`${base}/${id}/decline`, { reason }),
  answer: (id: string, body: AnswerDemandInput) => api.post<DemandView>(`${base}/${id}/answer`, body),
  withdraw: (id: string) => api.post<DemandView>(`${base}/${id}/withdraw`),
};
