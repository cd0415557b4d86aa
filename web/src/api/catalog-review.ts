// Catalog review (目录审核): the queue of pending publications and changes, each with its
// field-by-field diff; a reviewer approves or refuses with a coded reason, a steward withdraws.
import type { ResourceView } from '../../../src/catalog/schemas.js';
import type { DeadlineClock } from '../../../src/governance/schemas.js';
import { api, type Page } from './client.js';

export type ChangeStatus = 'pending' | 'approved' | 'refused' | 'withdrawn';

/** The coded reasons of a refusal (REFUSAL_REASONS of src/catalog/review-schemas.ts, which imports the store). */
export const REFUSAL_REASONS = [
  'incomplete_items',
  'wrong_classification',
  'wrong_sharing_type',
  'legal_basis_missing',
  'duplicate',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** One field the change sets: as published (null for a first publication) and as proposed. */
export interface DiffEntry {
  field: string;
  before: unknown;
  after: unknown;
}

/** A catalog change as the API shows it. */
export interface CatalogChange {
  id: string;
  kind: 'publish' | 'update';
  status: ChangeStatus;
  resource: { id: string; code: string; name: string };
  providerId: string;
  baseVersion: number;
  diff: DiffEntry[];
  author: string;
  authorOrgId: string;
  submittedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reasonCode: RefusalReason | null;
  comment: string;
  appliedVersion: number | null;
  /** The review's clock (时限); absent on a submission's answer. */
  deadline?: DeadlineClock | null;
}

/** Whether a publish or change answer is a pending change (202) rather than the resource (200). */
export function isPendingChange(answer: ResourceView | CatalogChange): answer is CatalogChange {
  return 'diff' in answer && 'kind' in answer;
}

const v1 = '/api/v1';

export const catalogReviewApi = {
  list: (query: { status?: ChangeStatus; resourceCode?: string; limit?: number; cursor?: string }) =>
    api.get<Page<CatalogChange>>(`${v1}/catalog/changes`, query),
  get: (id: string) => api.get<CatalogChange>(`${v1}/catalog/changes/${id}`),
  approve: (id: string, comment: string) =>
    api.post<{ change: CatalogChange; resource: ResourceView }>(`${v1}/catalog/changes/${id}/approve`, {
      comment,
    }),
  refuse: (id: string, reasonCode: RefusalReason, comment: string) =>
    api.post<CatalogChange>(`${v1}/catalog/changes/${id}/refuse`, { reasonCode, comment }),
  withdraw: (id: string) => api.post<CatalogChange>(`${v1}/catalog/changes/${id}/withdraw`),
};
