import type { CheckReason } from '../../../src/query/sandbox-release/reasons.js';
import type { Column } from './catalog.js';
import { api } from './client.js';

// 可用不可见: sandbox answers and their release review (/api/v1/release-reviews).

const v1 = '/api/v1';

/** One output check of a sandbox answer. */
export interface OutputCheck {
  name:
    | 'aggregated_output'
    | 'no_identifying_output'
    | 'checkable_shape'
    | 'minimum_group_size'
    | 'condition_effect'
    | 'no_identifiers_in_values';
  passed: boolean;
  /** The server's English sentence: shown only when the console does not know a reason's code. */
  detail: string;
  /** Why, as codes and figures the console says in its language (none in a report stored before them). */
  reasons: CheckReason[];
}

export type { CheckReason };

/** The noise of an answer under a sandbox grant with noise (差分隐私). */
export interface NoiseReport {
  mechanism: 'discrete-laplace';
  epsilon: { perAggregate: number; spent: number; remainingToday: number; remainingTotal: number };
  columns: {
    name: string;
    aggregate: 'count' | 'sum' | 'avg';
    noiseStddev: number;
    countNoiseStddev: number | null;
  }[];
}

/** The check report of a sandbox answer. */
export interface CheckReport {
  outcome: 'released' | 'held_for_review';
  minGroupSize: number;
  checks: OutputCheck[];
  suppressedRows: number;
  /** Only under a grant whose answers are noised. */
  noise?: NoiseReport;
}

export type ReviewStatus = 'pending' | 'approved' | 'refused';

/** A held answer's review, without its rows. */
export interface ReleaseReview {
  id: string;
  status: ReviewStatus;
  resources: string[];
  sql: string;
  aliases: Record<string, string>;
  check: CheckReport;
  rows: number;
  reason: string;
  providerId: string;
  consumerOrgId: string;
  decidedAt: string | null;
  createdAt: string;
}

/** The held rows, released (to the steward, or to the requester once approved). */
export interface HeldResult {
  review: { id: string; status: ReviewStatus };
  columns: Column[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  check: CheckReport;
}

export const releaseReviewApi = {
  list: (side: 'provider' | 'requester', status?: ReviewStatus) =>
    api.get<{ items: ReleaseReview[] }>(`${v1}/release-reviews`, { side, status }),
  result: (id: string) => api.get<HeldResult>(`${v1}/release-reviews/${id}/result`),
  approve: (id: string, reason: string) =>
    api.post<ReleaseReview>(`${v1}/release-reviews/${id}/approve`, { reason }),
  refuse: (id: string, reason: string) =>
    api.post<ReleaseReview>(`${v1}/release-reviews/${id}/refuse`, { reason }),
};
