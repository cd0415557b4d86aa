import type { Kysely } from 'kysely';
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
