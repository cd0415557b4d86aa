import type { Kysely, Selectable } from 'kysely';
import { NotFoundError } from '../../errors/index.js';
import { type Action, type Actor, authorize } from '../../identity/index.js';
import type { Database, DeliveryScheduleTable } from '../../store/index.js';

type Db = Kysely<Database>;
export type ScheduleRow = Selectable<DeliveryScheduleTable>;

/** A stored JSON column (PGlite and pg may hand back text or a value). */
export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** A schedule of the actor's organisation that the action is allowed on (another organisation's is as unknown as a missing one). */
export async function ownSchedule(
  db: Db,
  actor: Actor,
  id: string,
  action: Action = 'subscription.read',
): Promise<ScheduleRow> {
  authorize(actor, action);
  const row = await db.selectFrom('delivery_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || actor.kind === 'anonymous' || row.org_id !== actor.orgId)
    throw new NotFoundError('Delivery schedule', 'schedule_not_found');
  authorize(actor, action, { orgId: row.org_id });
  return row;
}
