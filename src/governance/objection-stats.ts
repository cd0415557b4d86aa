import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database, StoredObjectionStep } from '../store/index.js';
import { type ObjectionStats, ObjectionStatusSchema } from './objection-schemas.js';

type Db = Kysely<Database>;

/**
 * 异议统计 of one resource: counts by state, rows still disputed, reopenings and the average time
 * to answer. The provider's (its administrator, stewards, security officer) and the platform's
 * overseers'; another organisation's resource is a 404.
 */
export async function objectionStats(db: Db, actor: Actor, code: string): Promise<ObjectionStats> {
  const resource = await getResource(db, actor, code);
  authorize(actor, 'objection.stats', { orgId: resource.provider.id, noun: 'Resource' });
  const rows = await db
    .selectFrom('objections')
    .select(['id', 'status', 'filed_at', 'answered_at', 'history'])
    .where('resource_id', '=', resource.id)
    .execute();
  const byStatus = Object.fromEntries(
    ObjectionStatusSchema.options.map((s) => [s, 0]),
  ) as ObjectionStats['byStatus'];
  for (const r of rows) byStatus[r.status] += 1;
  const disputed = await db
    .selectFrom('objection_rows as r')
    .innerJoin('objections as o', 'o.id', 'r.objection_id')
    .select(['r.key_column', 'r.key_value'])
    .distinct()
    .where('r.resource_id', '=', resource.id)
    .where('o.status', '<>', 'confirmed')
    .execute();
  const answered = rows.filter((r) => r.answered_at !== null);
  const hours = answered.map((r) => (r.answered_at!.getTime() - r.filed_at.getTime()) / 3_600_000);
  return {
    resource: { code: resource.code, name: resource.name },
    total: rows.length,
    byStatus,
    pending: byStatus.open + byStatus.reopened,
    disputedRows: disputed.length,
    reopenings: rows.reduce(
      (n, r) => n + (r.history as StoredObjectionStep[]).filter((s) => s.action === 'reopened').length,
      0,
    ),
    averageAnswerHours:
      hours.length === 0 ? null : Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10,
  };
}

/** An objection waiting for its provider, for the deadline sweep. */
export interface PendingObjection {
  id: string;
  resourceCode: string;
  resourceName: string;
  providerId: string;
  consumerId: string;
  /** The deadline's start: the filing, or the latest reopening. */
  filedAt: Date;
  status: 'open' | 'reopened';
}

/**
 * The objections waiting for the provider's answer (open or reopened), oldest first: what a
 * deadline on the 'objection' step counts from (filed_at) and whom it concerns (the provider).
 */
export async function pendingObjections(db: Db): Promise<PendingObjection[]> {
  const rows = await db
    .selectFrom('objections')
    .select(['id', 'resource_code', 'resource_name', 'provider_id', 'consumer_id', 'filed_at', 'status'])
    .where('status', 'in', ['open', 'reopened'])
    .orderBy('filed_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    resourceCode: r.resource_code,
    resourceName: r.resource_name,
    providerId: r.provider_id,
    consumerId: r.consumer_id,
    filedAt: r.filed_at,
    status: r.status as 'open' | 'reopened',
  }));
}
