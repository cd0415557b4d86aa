import type { Kysely } from 'kysely';
import type { AuditActor, AuditLog } from '../audit/index.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize, setApiKeySuspended } from '../identity/index.js';
import { setGrantSuspendedByPlatform } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import { presentAlert } from './presenters.js';
import type { RaisedAlert } from './raise.js';
import type { AlertView } from './schemas.js';

type Db = Kysely<Database>;

const RESPONDER: AuditActor = { kind: 'system', id: 'early-warning', orgId: null };

/** The api_keys row of an audit actor id (`<application>/<key>`). */
const keyRow = (target: string) => target.split('/')[1] ?? target;

/**
 * Takes a new alert's automatic response (the rule's setting): suspends the key or the grant,
 * logs it (api_key.suspended, grant.suspended) and records it on the alert, so that a security
 * officer can undo it. Nothing happens to a key or grant already suspended or gone.
 */
export async function respondToAlert(
  db: Db,
  audit: Pick<AuditLog, 'append'>,
  alert: RaisedAlert,
): Promise<void> {
  const plan = alert.response;
  if (!plan) return;
  const reason = `安全预警 ${alert.id}：${alert.summary}`.slice(0, 500);
  const data = { alertId: alert.id, rule: alert.rule, reason };
  if (plan.kind === 'suspend_key') {
    if (!(await setApiKeySuspended(db, keyRow(plan.target), true))) return;
    await audit.append({
      type: 'api_key.suspended',
      actor: RESPONDER,
      data: { ...data, keyId: plan.target },
    });
  } else {
    if (!(await setGrantSuspendedByPlatform(db, plan.target, true, reason))) return;
    await audit.append({
      type: 'grant.suspended',
      actor: RESPONDER,
      data: { ...data, grantId: plan.target },
    });
  }
  const record = { ...plan, at: new Date().toISOString(), undoneAt: null, undoneBy: null };
  await db
    .updateTable('warning_alerts')
    // updated_at moves with every step of the alert: the warning centre's timeline relies on it.
    .set({ response: JSON.stringify(record), updated_at: new Date() })
    .where('id', '=', alert.id)
    .execute();
}

/**
 * Undoes an alert's automatic response (the security officer): resumes the key or the grant.
 * An alert without a response, or one already undone, is a 409.
 */
export async function undoResponse(db: Db, actor: Actor, id: string): Promise<AlertView> {
  const officer = authorize(actor, 'warning.manage');
  const row = await db.selectFrom('warning_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Alert');
  const taken = row.response;
  if (!taken || taken.undoneAt !== null)
    throw new ConflictError('alert_state_conflict', 'The alert has no response to undo');
  if (taken.kind === 'suspend_key') await setApiKeySuspended(db, keyRow(taken.target), false);
  else await setGrantSuspendedByPlatform(db, taken.target, false, `安全预警 ${id} 的自动处置已撤销`);
  const undone = {
    ...taken,
    undoneAt: new Date().toISOString(),
    undoneBy: officer.kind === 'user' ? officer.userId : officer.applicationId,
  };
  const updated = await db
    .updateTable('warning_alerts')
    .set({ response: JSON.stringify(undone), updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentAlert(updated);
}
