import type { Kysely, Updateable } from 'kysely';
import { BadRequestError, ConflictError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  toPage,
  type WarningAlertTable,
} from '../store/index.js';
import { presentAlert } from './presenters.js';
import { securityOfficers } from './raise.js';
import type { AlertQuery, AlertStatus, AlertView } from './schemas.js';

type Db = Kysely<Database>;

/** Alerts newest first, filtered by status, severity, rule, subject or assignee. */
export async function listAlerts(db: Db, actor: Actor, query: AlertQuery): Promise<Page<AlertView>> {
  authorize(actor, 'warning.read');
  let select = db
    .selectFrom('warning_alerts')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.severity) select = select.where('severity', '=', query.severity);
  if (query.rule) select = select.where('rule', '=', query.rule);
  if (query.subject) select = select.where('subject', '=', query.subject);
  if (query.assigneeId) select = select.where('assignee_id', '=', query.assigneeId);
  const after = decodeCursor(query.cursor);
  if (after)
    select = select.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await select.execute();
  return toPage(rows, query.limit, (r) => ({ key: r.created_at.toISOString(), id: r.id }), presentAlert);
}

async function row(db: Db, id: string) {
  const found = await db.selectFrom('warning_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!found) throw new NotFoundError('Alert');
  return found;
}

/** One alert. */
export async function getAlert(db: Db, actor: Actor, id: string): Promise<AlertView> {
  authorize(actor, 'warning.read');
  return presentAlert(await row(db, id));
}

function userOf(actor: Actor): string {
  const officer = authorize(actor, 'warning.manage');
  return officer.kind === 'user' ? officer.userId : officer.applicationId;
}

async function transition(
  db: Db,
  id: string,
  from: AlertStatus[],
  set: Updateable<WarningAlertTable>,
): Promise<AlertView> {
  const current = await row(db, id);
  if (!from.includes(current.status as AlertStatus))
    throw new ConflictError('alert_state_conflict', `The alert is ${current.status}`, {
      status: current.status,
    });
  const updated = await db
    .updateTable('warning_alerts')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', current.status)
    .returningAll()
    .executeTakeFirst();
  // Another officer moved it meanwhile.
  if (!updated) throw new ConflictError('alert_state_conflict', 'The alert changed meanwhile');
  return presentAlert(updated);
}

/** Acknowledges an open alert (the security officer is on it). */
export function acknowledgeAlert(db: Db, actor: Actor, id: string, note?: string): Promise<AlertView> {
  const userId = userOf(actor);
  return transition(db, id, ['open'], {
    status: 'acknowledged',
    acknowledged_by: userId,
    acknowledged_at: new Date(),
    ...(note ? { note } : {}),
  });
}

/** Resolves an open or acknowledged alert, with a note saying what was found and done. */
export function resolveAlert(db: Db, actor: Actor, id: string, note: string): Promise<AlertView> {
  const userId = userOf(actor);
  return transition(db, id, ['open', 'acknowledged'], {
    status: 'resolved',
    resolved_by: userId,
    resolved_at: new Date(),
    note,
  });
}

/** Assigns an alert that is not resolved to a security officer. */
export async function assignAlert(db: Db, actor: Actor, id: string, assigneeId: string): Promise<AlertView> {
  userOf(actor);
  if (!(await securityOfficers(db)).some((o) => o.userId === assigneeId))
    throw new BadRequestError('invalid_assignee', 'Alerts are assigned to active security officers');
  return transition(db, id, ['open', 'acknowledged'], { assignee_id: assigneeId });
}
