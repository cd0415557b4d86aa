import { type Kysely, sql } from 'kysely';
import { getResource } from '../catalog/index.js';
import { type Actor, authorize } from '../identity/index.js';
import { captureStatus, type QueryContext } from '../query/index.js';
import type { Database } from '../store/index.js';
import type { CaptureSourceView, SubscriberView } from './schemas.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Who subscribes to one of the provider's resources (供方视角): each subscription's consumer,
 * channel kind, status and last delivery, never its events. For the provider's stewards and
 * administrators.
 */
export async function listSubscribers(
  db: Kysely<Database>,
  actor: Actor,
  resourceCode: string,
): Promise<SubscriberView[]> {
  const resource = await getResource(db, actor, resourceCode);
  authorize(actor, 'subscription.list_subscribers', { orgId: resource.provider.id });
  const rows = await db
    .selectFrom('subscriptions as s')
    // subscriptions keep ids as text (organizations' and sources' are uuid): compare as text.
    .leftJoin('organizations as o', (j) => j.on(sql`o.id::text`, '=', sql.ref('s.org_id')))
    .select([
      's.id',
      's.org_id',
      'o.name as org_name',
      's.application_id',
      's.channel',
      's.status',
      's.reason',
      's.created_at',
      's.last_delivery_at',
    ])
    .where('s.resource_id', '=', resource.id)
    .orderBy('s.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name ?? r.org_id,
    applicationId: r.application_id,
    channel: ((typeof r.channel === 'string' ? JSON.parse(r.channel) : r.channel) as { kind: string }).kind,
    status: r.status,
    reason: r.reason,
    createdAt: iso(r.created_at) as string,
    lastDeliveryAt: iso(r.last_delivery_at),
  }));
}

/**
 * Change capture per source with subscriptions, for the platform's administrators: its method,
 * whether its slot exists, the WAL its slot holds back (with `alert` past the threshold: a slot
 * nobody consumes fills the provider's disk), the stored position and when it last moved. A
 * source that cannot be asked says so in `error` instead of failing the list.
 */
export async function captureOverview(
  ctx: QueryContext,
  actor: Actor,
  walAlertBytes: number,
): Promise<CaptureSourceView[]> {
  authorize(actor, 'capture.read');
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('sources as src', (j) => j.on(sql`src.id::text`, '=', sql.ref('s.source_id')))
    .leftJoin('capture_positions as p', 'p.source_id', 's.source_id')
    .select((eb) => [
      's.source_id',
      'src.name',
      'src.kind',
      'p.position',
      'p.updated_at',
      eb.fn.countAll().as('subscriptions'),
    ])
    .groupBy(['s.source_id', 'src.name', 'src.kind', 'p.position', 'p.updated_at'])
    .orderBy('src.name')
    .execute();
  return Promise.all(
    rows.map(async (r) => {
      const base = {
        sourceId: r.source_id,
        sourceName: r.name,
        sourceKind: r.kind,
        subscriptions: Number(r.subscriptions),
        position: r.position ?? null,
        positionUpdatedAt: iso(r.updated_at ?? null),
      };
      try {
        const status = await captureStatus(ctx, r.source_id);
        const retained = status.retainedBytes;
        return {
          ...base,
          method: status.method,
          prepared: status.prepared,
          retainedBytes: retained,
          alert: retained !== null && retained > walAlertBytes,
          error: null,
        };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return {
          ...base,
          method: null,
          prepared: false,
          retainedBytes: null,
          alert: true,
          error: typeof code === 'string' ? code : 'source_unreachable',
        };
      }
    }),
  );
}
