import type { DeadlineSource } from './deadline-sources.js';
import { pendingObjections } from './objection-stats.js';

/**
 * The objections waiting for their provider (异议处理: open or reopened), as the deadline sweep
 * watches them: counted from `filed_at` (reset on reopening), the provider's data stewards
 * reminded, its administrator told once overdue.
 */
export const pendingObjectionDeadlines: DeadlineSource = async (db) =>
  (await pendingObjections(db)).map((o) => ({
    step: 'objection',
    sharingType: 'any',
    grade: 'any',
    startedAt: o.filedAt,
    answeredAt: null,
    stoppedAt: null,
    id: o.id,
    orgId: o.providerId,
    remindRole: 'data_steward',
    noun: '异议',
    title: o.resourceName,
    resources: [o.resourceCode],
  }));
