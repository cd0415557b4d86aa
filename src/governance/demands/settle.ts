import type { Kysely } from 'kysely';
import type { AuditActor, AuditLog } from '../../audit/index.js';
import { notify } from '../../sharing/index.js';
import type { Database } from '../../store/index.js';
import { addEvent } from './rows.js';

type Db = Kysely<Database>;

const PLATFORM: AuditActor = { kind: 'system', id: 'demand-sweep', orgId: null };

/**
 * Closes every demand answered with a new catalog entry once that entry is published (已办结),
 * dated by the entry's publication. Derived from the catalog rather than hooked into its
 * publishing, so that however publishing is decided (a reviewer's approval included), the demand
 * follows: the routes call this before they read demands, and the deadline sweep calls it too.
 * Each demand is closed once (the update is guarded by its status), logged, then the requester told.
 */
export async function closePublishedDemands(db: Db, audit: Pick<AuditLog, 'append'>): Promise<string[]> {
  const ready = await db
    .selectFrom('demands')
    .innerJoin('resources', 'resources.id', 'demands.answer_resource_id')
    .select([
      'demands.id',
      'demands.title',
      'demands.requester_org_id',
      'demands.requested_by',
      'demands.assigned_org_id',
      'resources.id as resource_id',
      'resources.code',
      'resources.name',
      'resources.published_at',
    ])
    .where('demands.status', '=', 'awaiting_publication')
    .where('resources.published_at', 'is not', null)
    .execute();
  const closed: string[] = [];
  for (const d of ready) {
    const at = d.published_at!;
    const claimed = await db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('demands')
        .set({ status: 'closed', closed_at: at, updated_at: new Date() })
        .where('id', '=', d.id)
        .where('status', '=', 'awaiting_publication')
        .returning('id')
        .executeTakeFirst();
      // Another reader closed it first: its entry and notification stand.
      if (!moved) return false;
      await addEvent(trx, d.id, 'closed', 'system', { resourceId: d.resource_id, at });
      return true;
    });
    if (!claimed) continue;
    await audit.append({
      type: 'demand.closed',
      actor: PLATFORM,
      resources: [d.code],
      data: { demandId: d.id, assignedOrgId: d.assigned_org_id, publishedAt: at.toISOString() },
    });
    await notify(
      db,
      { orgId: d.requester_org_id, userId: d.requested_by },
      {
        kind: 'demand.closed',
        title: `您的数据需求已办结：${d.title}`,
        body: `目录已发布：${d.name}（${d.code}）`,
      },
    );
    closed.push(d.id);
  }
  return closed;
}
