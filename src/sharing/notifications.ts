import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import { presentNotification } from './presenters.js';
import type { NotificationView } from './schemas.js';

type Db = Kysely<Database>;

/** To whom: one person, or every holder of a role in an organisation. */
export type Recipient = { orgId: string; userId: string } | { orgId: string; role: string };

/** What happened, for a recipient to read. */
export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  accessRequestId?: string;
  grantId?: string;
}

/** Leaves a notification for a recipient. */
export async function notify(db: Db, to: Recipient, message: NewNotification): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: randomUUID(),
      recipient_org_id: to.orgId,
      recipient_user_id: 'userId' in to ? to.userId : null,
      recipient_role: 'role' in to ? to.role : null,
      kind: message.kind,
      title: message.title,
      body: message.body,
      access_request_id: message.accessRequestId ?? null,
      grant_id: message.grantId ?? null,
      created_at: new Date(),
      read_at: null,
    })
    .execute();
}

/** The notifications addressed to the caller, or to a role it holds in its organisation; oldest first. */
export async function listNotifications(
  db: Db,
  actor: Actor,
  page: PageQuery & { unread?: boolean },
): Promise<Page<NotificationView>> {
  const caller = authorize(actor, 'notification.read');
  const after = decodeCursor(page.cursor);
  const userId = caller.kind === 'user' ? caller.userId : null;
  let query = db
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_org_id', '=', caller.orgId)
    .where((eb) =>
      eb.or([
        ...(userId ? [eb('recipient_user_id', '=', userId)] : []),
        eb.and([eb('recipient_user_id', 'is', null), eb('recipient_role', 'in', [...caller.roles, '-'])]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.unread) query = query.where('read_at', 'is', null);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    presentNotification,
  );
}

/** Marks one of the caller's notifications read; another's is a 404. */
export async function markNotificationRead(db: Db, actor: Actor, id: string): Promise<NotificationView> {
  const caller = authorize(actor, 'notification.read');
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  const mine =
    row !== undefined &&
    row.recipient_org_id === caller.orgId &&
    (row.recipient_user_id === null
      ? caller.roles.includes(row.recipient_role as never)
      : caller.kind === 'user' && row.recipient_user_id === caller.userId);
  if (!mine) throw new NotFoundError('Notification');
  const updated = await db
    .updateTable('notifications')
    .set({ read_at: row.read_at ?? new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentNotification(updated);
}
