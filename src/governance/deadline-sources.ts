import type { Kysely } from 'kysely';
import type { Recipient } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import type { DeadlineSubject } from './clock.js';

type Db = Kysely<Database>;

/**
 * One running step that a deadline sweep watches: what its clock needs, who must act (the
 * organisation and the role reminded), and how the reminder reads. Each step (共享申请, 目录审核,
 * 异议处理, 需求清单) lists its own.
 */
export interface OpenDeadline extends DeadlineSubject {
  id: string;
  /** The organisation that must act, whose administrator is told when it is overdue. */
  orgId: string;
  /** The role in that organisation that is reminded before the due day. */
  remindRole: string;
  /** What the step is, as people call it: 共享申请, 目录审核, 异议, 需求. */
  noun: string;
  /** What it is about: a resource's name, a demand's title. */
  title: string;
  /** Resource codes for the audit entry. */
  resources: string[];
  /** Set for access requests, so that the notification links to the request. */
  accessRequestId?: string;
  /** Who is reminded instead of `remindRole` in `orgId` (the platform's catalog reviewers, say). */
  remind?: Recipient[];
  /** Who is told once it is overdue instead of `orgId`'s administrator. */
  escalate?: Recipient[];
}

/** Lists the running steps of one kind. */
export type DeadlineSource = (db: Db) => Promise<OpenDeadline[]>;

/** The pending access requests (共享申请), answered by the provider's reviewer. */
export const pendingAccessRequests: DeadlineSource = async (db) => {
  const rows = await db
    .selectFrom('access_requests')
    .select(['id', 'created_at', 'grade', 'provider_id', 'next_role', 'resource_name', 'resource_code'])
    .where('status', '=', 'pending')
    .execute();
  return rows.map((r) => ({
    step: 'access_request',
    sharingType: 'conditional',
    grade: r.grade,
    startedAt: r.created_at,
    answeredAt: null,
    stoppedAt: null,
    id: r.id,
    orgId: r.provider_id,
    remindRole: r.next_role ?? 'data_steward',
    noun: '共享申请',
    title: r.resource_name,
    resources: [r.resource_code],
    accessRequestId: r.id,
  }));
};

/** The demands assigned to a department and not answered yet (需求清单), counted from the assignment. */
export const assignedDemands: DeadlineSource = async (db) => {
  const rows = await db
    .selectFrom('demands')
    .select(['id', 'title', 'assigned_org_id', 'assigned_at'])
    .where('status', '=', 'assigned')
    .execute();
  return rows
    .filter((r) => r.assigned_org_id && r.assigned_at)
    .map((r) => ({
      step: 'demand',
      sharingType: 'any',
      grade: 'any',
      startedAt: r.assigned_at!,
      answeredAt: null,
      stoppedAt: null,
      id: r.id,
      orgId: r.assigned_org_id!,
      remindRole: 'data_steward',
      noun: '需求',
      title: r.title,
      resources: [],
    }));
};

/** Users holding a role anywhere, each told in their own organisation. */
export async function holdersOf(db: Db, role: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'roles'])
    .where('disabled', '=', false)
    .execute();
  return rows.filter((u) => u.roles.includes(role)).map((u) => ({ orgId: u.org_id, userId: u.id }));
}

/**
 * The catalog changes waiting for review (目录审核): the platform's catalog reviewers are
 * reminded, its administrators told once overdue (the reviewers answer to the platform, not to
 * the department that wrote the change).
 */
export const pendingCatalogChanges: DeadlineSource = async (db) => {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['id', 'resource_code', 'resource_name', 'author_org_id', 'submitted_at', 'kind'])
    .where('status', '=', 'pending')
    .execute();
  if (rows.length === 0) return [];
  const [reviewers, admins] = await Promise.all([
    holdersOf(db, 'catalog_reviewer'),
    holdersOf(db, 'platform_admin'),
  ]);
  return rows.map((r) => ({
    step: 'catalog_review',
    sharingType: 'any',
    grade: 'any',
    startedAt: r.submitted_at,
    answeredAt: null,
    stoppedAt: null,
    id: r.id,
    orgId: r.author_org_id,
    remindRole: 'catalog_reviewer',
    noun: r.kind === 'publish' ? '目录发布审核' : '目录变更审核',
    title: r.resource_name,
    resources: [r.resource_code],
    remind: reviewers,
    escalate: admins,
  }));
};
