// Sharing endpoints: access requests, grants, usage, notifications, licences.

import type { DeadlineClock } from '../../../src/governance/schemas.js';
import type { MaskKind, MaskSpec } from '../../../src/privacy/mask-spec.js';
import type { ItemFilter } from '../../../src/sharing/item-filter.js';
import type { RequestStats } from '../../../src/sharing/request-stats.js';
import type {
  ApprovalTermsInput,
  AccessRequestView as BareRequestView,
  CreateAccessRequestInput,
  GrantView,
  NotificationView,
  RejectionInput,
  UsageView,
} from '../../../src/sharing/schemas.js';
import type { AccessRequestStatus, RejectionReason } from '../../../src/sharing/vocab.js';
import { api, type Page } from './client.js';

/** An access request as the API answers it: with its clock (时限, docs/governance.md). */
export type AccessRequestView = BareRequestView & { deadline: DeadlineClock };

export type {
  AccessRequestStatus,
  ApprovalTermsInput,
  CreateAccessRequestInput,
  DeadlineClock,
  GrantView,
  ItemFilter,
  MaskKind,
  MaskSpec,
  NotificationView,
  RejectionInput,
  RejectionReason,
  RequestStats,
  UsageView,
};

/** The coded reasons of a refusal (RejectionReasonSchema of src/sharing/vocab.ts). */
export const REJECTION_REASONS: RejectionReason[] = [
  'no_legal_basis',
  'beyond_stated_purpose',
  'data_not_held',
  'grade_too_high',
  'excessive_items',
  'not_ready_to_share',
  'prohibited_by_law',
  'security_risk',
  'other',
];

/** Mask kinds a reviewer can pick without parameters, and those taking one (maskSpecSchema). */
export const SIMPLE_MASKS: MaskKind[] = [
  'none',
  'redact',
  'id-number',
  'mobile',
  'name',
  'bank-card',
  'hmac',
  'null',
  'suppress',
  'year',
  'address',
];

const v1 = '/api/v1';
const enc = encodeURIComponent;
type Scope = 'consumer' | 'provider' | 'todo';
type Side = 'consumer' | 'provider';

export const sharingApi = {
  requests: (query: { scope?: Scope; status?: AccessRequestStatus; limit?: number; cursor?: string }) =>
    api.get<Page<AccessRequestView>>(`${v1}/access-requests`, query),
  stats: (scope: 'platform' | 'provider' | 'consumer' = 'platform') =>
    api.get<RequestStats>(`${v1}/access-requests/stats`, { scope }),
  request: (id: string) => api.get<AccessRequestView>(`${v1}/access-requests/${id}`),
  createRequest: (body: CreateAccessRequestInput) =>
    api.post<AccessRequestView>(`${v1}/access-requests`, body),
  withdraw: (id: string) => api.post<AccessRequestView>(`${v1}/access-requests/${id}/withdraw`),
  approve: (id: string, body: ApprovalTermsInput) =>
    api.post<{ request: AccessRequestView; grant: GrantView | null }>(
      `${v1}/access-requests/${id}/approve`,
      body,
    ),
  reject: (id: string, body: RejectionInput) =>
    api.post<AccessRequestView>(`${v1}/access-requests/${id}/reject`, body),
  grants: (query: { side?: Side; resourceCode?: string; limit?: number; cursor?: string }) =>
    api.get<Page<GrantView>>(`${v1}/grants`, query),
  grant: (id: string) => api.get<GrantView>(`${v1}/grants/${id}`),
  grantUsage: (id: string) => api.get<{ items: UsageView[] }>(`${v1}/grants/${id}/usage`),
  privacyBudget: (id: string) =>
    api.get<{
      grantId: string;
      epsilonPerDay: number | null;
      epsilonTotal: number | null;
      spentToday: number;
      spentTotal: number;
    }>(`${v1}/grants/${id}/privacy-budget`),
  lowerPrivacyBudget: (id: string, budget: { epsilonPerDay: number; epsilonTotal: number }) =>
    api.put<GrantView>(`${v1}/grants/${id}/privacy-budget`, budget),
  changeGrant: (id: string, action: 'suspend' | 'resume' | 'revoke', reason = '') =>
    api.post<GrantView>(`${v1}/grants/${id}/${action}`, { reason }),
  usage: (side: Side = 'consumer') => api.get<{ items: UsageView[] }>(`${v1}/usage`, { side }),
  notifications: (query: { unread?: boolean; limit?: number } = {}) =>
    api.get<Page<NotificationView>>(`${v1}/notifications`, query),
  markRead: (id: string) => api.post<NotificationView>(`${v1}/notifications/${id}/read`),
  acceptLicence: (code: string) =>
    api.post<{ resourceCode: string; licence: string; acceptedAt: string }>(
      `${v1}/resources/${enc(code)}/licence-acceptance`,
    ),
};
