import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { DeadlineSubject } from './clock.js';
import type { DeadlineStep } from './schemas.js';

type Db = Kysely<Database>;

/** One step counted by the SLA: its clock's times and who answers for it. */
export interface SlaItem extends DeadlineSubject {
  id: string;
  /** The department counted: who must answer (for a catalog change, the author's organisation). */
  orgId: string;
  orgName: string;
  /** Who waits for the answer; null for a catalog change. */
  consumerOrgId: string | null;
  consumerName: string | null;
  resourceCode: string | null;
  resourceName: string | null;
  title: string;
}

/** Which items to count: one department's, and those started within a period. */
export interface SlaFilter {
  orgId?: string;
  from?: Date;
  to?: Date;
}

type Loader = (db: Db, filter: SlaFilter) => Promise<SlaItem[]>;

const DECIDED = new Set(['approved', 'partially_approved', 'rejected']);

/** Access requests by providing department; withdrawn ones count nowhere. */
const accessRequests: Loader = async (db, { orgId, from, to }) => {
  let select = db
    .selectFrom('access_requests as r')
    .innerJoin('organizations as p', 'p.id', 'r.provider_id')
    .innerJoin('organizations as c', 'c.id', 'r.consumer_org_id')
    .select(['r.id', 'r.created_at', 'r.updated_at', 'r.grade', 'r.status', 'r.provider_id'])
    .select(['r.consumer_org_id', 'r.resource_code', 'r.resource_name', 'p.name as provider_name'])
    .select('c.name as consumer_name')
    .where('r.status', '!=', 'withdrawn')
    .orderBy('r.created_at');
  if (orgId) select = select.where('r.provider_id', '=', orgId);
  if (from) select = select.where('r.created_at', '>=', from);
  if (to) select = select.where('r.created_at', '<', to);
  return (await select.execute()).map((r) => {
    const decided = DECIDED.has(r.status);
    return {
      step: 'access_request',
      sharingType: 'conditional',
      grade: r.grade,
      startedAt: r.created_at,
      answeredAt: decided ? r.updated_at : null,
      stoppedAt: !decided && r.status !== 'pending' ? r.updated_at : null,
      id: r.id,
      orgId: r.provider_id,
      orgName: r.provider_name,
      consumerOrgId: r.consumer_org_id,
      consumerName: r.consumer_name,
      resourceCode: r.resource_code,
      resourceName: r.resource_name,
      title: r.resource_name,
    };
  });
};

/** Objections by providing department, counted from the filing or the latest reopening. */
const objections: Loader = async (db, { orgId, from, to }) => {
  let select = db
    .selectFrom('objections as o')
    .innerJoin('organizations as p', 'p.id', 'o.provider_id')
    .innerJoin('organizations as c', 'c.id', 'o.consumer_id')
    .select(['o.id', 'o.filed_at', 'o.answered_at', 'o.closed_at', 'o.status', 'o.provider_id'])
    .select(['o.consumer_id', 'o.resource_code', 'o.resource_name', 'p.name as provider_name'])
    .select('c.name as consumer_name')
    .orderBy('o.filed_at');
  if (orgId) select = select.where('o.provider_id', '=', orgId);
  if (from) select = select.where('o.filed_at', '>=', from);
  if (to) select = select.where('o.filed_at', '<', to);
  return (await select.execute()).map((o) => ({
    step: 'objection',
    sharingType: 'any',
    grade: 'any',
    startedAt: o.filed_at,
    answeredAt: o.answered_at,
    stoppedAt: !o.answered_at && o.status === 'confirmed' ? o.closed_at : null,
    id: o.id,
    orgId: o.provider_id,
    orgName: o.provider_name,
    consumerOrgId: o.consumer_id,
    consumerName: o.consumer_name,
    resourceCode: o.resource_code,
    resourceName: o.resource_name,
    title: o.resource_name,
  }));
};

/** Demands by assigned department, counted from the assignment; never-assigned ones count nowhere. */
const demands: Loader = async (db, { orgId, from, to }) => {
  let select = db
    .selectFrom('demands as d')
    .innerJoin('organizations as a', 'a.id', 'd.assigned_org_id')
    .innerJoin('organizations as c', 'c.id', 'd.requester_org_id')
    .select(['d.id', 'd.title', 'd.assigned_at', 'd.answered_at', 'd.closed_at', 'd.status'])
    .select([
      'd.assigned_org_id',
      'd.requester_org_id',
      'a.name as assigned_name',
      'c.name as requester_name',
    ])
    .where('d.assigned_at', 'is not', null)
    .orderBy('d.assigned_at');
  if (orgId) select = select.where('d.assigned_org_id', '=', orgId);
  if (from) select = select.where('d.assigned_at', '>=', from);
  if (to) select = select.where('d.assigned_at', '<', to);
  return (await select.execute()).map((d) => ({
    step: 'demand',
    sharingType: 'any',
    grade: 'any',
    startedAt: d.assigned_at!,
    answeredAt: d.answered_at,
    stoppedAt: !d.answered_at && d.status === 'withdrawn' ? d.closed_at : null,
    id: d.id,
    orgId: d.assigned_org_id!,
    orgName: d.assigned_name,
    consumerOrgId: d.requester_org_id,
    consumerName: d.requester_name,
    resourceCode: null,
    resourceName: null,
    title: d.title,
  }));
};

/**
 * Catalog changes by the author's organisation: the platform's reviewers answer, but the figures
 * per providing department show whose entries wait, and a department's administrator sees its own.
 */
const catalogChanges: Loader = async (db, { orgId, from, to }) => {
  let select = db
    .selectFrom('catalog_changes as c')
    .innerJoin('organizations as a', 'a.id', 'c.author_org_id')
    .select([
      'c.id',
      'c.submitted_at',
      'c.decided_at',
      'c.status',
      'c.author_org_id',
      'a.name as author_name',
    ])
    .select(['c.resource_code', 'c.resource_name'])
    .orderBy('c.submitted_at');
  if (orgId) select = select.where('c.author_org_id', '=', orgId);
  if (from) select = select.where('c.submitted_at', '>=', from);
  if (to) select = select.where('c.submitted_at', '<', to);
  return (await select.execute()).map((c) => ({
    step: 'catalog_review',
    sharingType: 'any',
    grade: 'any',
    startedAt: c.submitted_at,
    answeredAt: c.status === 'approved' || c.status === 'refused' ? c.decided_at : null,
    stoppedAt: c.status === 'withdrawn' ? c.decided_at : null,
    id: c.id,
    orgId: c.author_org_id,
    orgName: c.author_name,
    consumerOrgId: null,
    consumerName: null,
    resourceCode: c.resource_code,
    resourceName: c.resource_name,
    title: c.resource_name,
  }));
};

/** The items of each step that the SLA counts. */
export const SLA_ITEMS: Record<DeadlineStep, Loader> = {
  access_request: accessRequests,
  objection: objections,
  demand: demands,
  catalog_review: catalogChanges,
};
