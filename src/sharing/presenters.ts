import type { Selectable } from 'kysely';
import type {
  AccessRequestStepTable,
  AccessRequestTable,
  GrantTable,
  GrantUsageTable,
  NotificationTable,
} from '../store/index.js';
import { parseStoredFilter } from './item-filter.js';
import type {
  AccessRequestView,
  AgreedTermsView,
  GrantItem,
  GrantView,
  NotificationView,
  UsageView,
} from './schemas.js';
import { SHARING_LABELS } from './vocab.js';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
// jsonb comes back parsed from both stores; a string would mean a driver that does not parse it.
/** A jsonb value as stored. */
export const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** The names a request refers to by id: organisations, people and applications. */
export interface RequestNames {
  organizations: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, { displayName: string; username: string }>;
  applications: ReadonlyMap<string, string>;
}

function presentTerms(value: unknown): AgreedTermsView | null {
  if (value === null || value === undefined) return null;
  const terms = json<AgreedTermsView>(value);
  return {
    ...terms,
    rowFilter: parseStoredFilter(terms.rowFilter),
    privacyBudget: terms.privacyBudget ?? null,
    sandboxNoise: terms.sandboxNoise ?? null,
  };
}

/** A request with its steps and the names of who is asking, as the API shows it. */
export function presentAccessRequest(
  row: Selectable<AccessRequestTable>,
  steps: Selectable<AccessRequestStepTable>[],
  names: RequestNames,
): AccessRequestView {
  const person = names.users.get(row.created_by);
  const status = row.status as AccessRequestView['status'];
  const role = row.next_role as keyof typeof SHARING_LABELS.reviewerRole | null;
  const reason = row.rejection_reason as keyof typeof SHARING_LABELS.rejectionReason | null;
  return {
    id: row.id,
    applicationId: row.application_id,
    consumerOrgId: row.consumer_org_id,
    applicant: {
      organization: { id: row.consumer_org_id, name: names.organizations.get(row.consumer_org_id) ?? '' },
      person: person ? { id: row.created_by, ...person } : null,
      application: { id: row.application_id, name: names.applications.get(row.application_id) ?? '' },
    },
    resource: { id: row.resource_id, code: row.resource_code, name: row.resource_name, grade: row.grade },
    providerId: row.provider_id,
    items: json<string[]>(row.items),
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    use: row.use as AccessRequestView['use'],
    validFrom: iso(row.valid_from)!,
    validUntil: iso(row.valid_until)!,
    expectedCallsPerDay: row.expected_calls_per_day,
    expectedRowsPerDay: row.expected_rows_per_day,
    attachments: json<AccessRequestView['attachments']>(row.attachments),
    status,
    statusLabel: SHARING_LABELS.status[status],
    nextAction:
      role && row.waiting_since
        ? {
            role,
            roleLabel: SHARING_LABELS.reviewerRole[role],
            orgId: row.provider_id,
            since: iso(row.waiting_since)!,
          }
        : null,
    steps: steps
      .sort((a, b) => a.seq - b.seq)
      .map((s) => ({
        seq: s.seq,
        role: s.role as AccessRequestView['steps'][number]['role'],
        status: s.status as AccessRequestView['steps'][number]['status'],
        actorId: s.actor_id,
        actorName: s.actor_id ? (names.users.get(s.actor_id)?.displayName ?? null) : null,
        comment: s.comment,
        startedAt: iso(s.started_at),
        actedAt: iso(s.acted_at),
      })),
    terms: presentTerms(row.terms),
    rejection: reason
      ? { reason, label: SHARING_LABELS.rejectionReason[reason], text: row.rejection_text ?? '' }
      : null,
    grantId: row.grant_id,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** The status a grant shows: a stored state, or `expired` once its period is over. */
export function grantStatus(row: Selectable<GrantTable>, now = new Date()): GrantView['status'] {
  if (row.status !== 'active') return row.status as GrantView['status'];
  return row.valid_until !== null && new Date(row.valid_until) <= now ? 'expired' : 'active';
}

/** The daily quota of a grant, when it has one. */
export function quotaOf(row: Selectable<GrantTable>): GrantView['quota'] {
  return row.calls_per_day !== null && row.rows_per_day !== null
    ? { callsPerDay: row.calls_per_day, rowsPerDay: row.rows_per_day }
    : null;
}

/** The ε budget of a statistics grant (or a noised sandbox grant), when it has one. */
export function privacyBudgetOf(row: Selectable<GrantTable>): GrantView['privacyBudget'] {
  return row.epsilon_per_day !== null && row.epsilon_total !== null
    ? { epsilonPerDay: row.epsilon_per_day, epsilonTotal: row.epsilon_total }
    : null;
}

/** The noise on a sandbox grant's answers, when it has some. */
export function sandboxNoiseOf(row: Selectable<GrantTable>): GrantView['sandboxNoise'] {
  return row.sandbox_epsilon !== null ? { epsilon: row.sandbox_epsilon } : null;
}

/** The names a grant refers to by id: its resource, organisations and application. */
export interface GrantNames {
  resources: ReadonlyMap<string, string>;
  organizations: ReadonlyMap<string, string>;
  applications: ReadonlyMap<string, string>;
}

const NO_NAMES: GrantNames = { resources: new Map(), organizations: new Map(), applications: new Map() };

/** A grant as the API shows it, with the names of what it refers to (see grantNames). */
export function presentGrant(row: Selectable<GrantTable>, now = new Date(), names = NO_NAMES): GrantView {
  return {
    id: row.id,
    origin: row.origin as GrantView['origin'],
    requestId: row.request_id,
    applicationId: row.application_id,
    consumerOrgId: row.consumer_org_id,
    resourceId: row.resource_id,
    resourceCode: row.resource_code,
    providerId: row.provider_id,
    items: json<GrantItem[]>(row.items),
    rowFilter: parseStoredFilter(row.row_filter),
    purpose: row.purpose,
    use: row.use as GrantView['use'],
    validFrom: iso(row.valid_from)!,
    validUntil: iso(row.valid_until),
    quota: quotaOf(row),
    allowedIps: row.allowed_ips,
    mayExport: row.may_export,
    privacyBudget: privacyBudgetOf(row),
    sandboxNoise: sandboxNoiseOf(row),
    status: grantStatus(row, now),
    statusReason: row.status_reason,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    names: {
      resource: names.resources.get(row.resource_id) ?? null,
      provider: names.organizations.get(row.provider_id) ?? null,
      consumer: names.organizations.get(row.consumer_org_id) ?? null,
      application: row.application_id ? (names.applications.get(row.application_id) ?? null) : null,
    },
  };
}

/** One day of usage, with the grant's quota for comparison. */
export function presentUsage(row: Selectable<GrantUsageTable>, quota: GrantView['quota']): UsageView {
  return { grantId: row.grant_id, day: row.day, calls: row.calls, rows: row.row_count, quota };
}

/** A notification as the API shows it. */
export function presentNotification(row: Selectable<NotificationTable>): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    accessRequestId: row.access_request_id,
    grantId: row.grant_id,
    createdAt: iso(row.created_at)!,
    readAt: iso(row.read_at),
  };
}
