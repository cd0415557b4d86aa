import type { Kysely } from 'kysely';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import { notify, type Recipient } from '../sharing/index.js';
import type { Database, ObjectionStatus, StoredObjectionStep } from '../store/index.js';
import { presentObjection } from './objection-presenters.js';
import type { ObjectionView } from './objection-schemas.js';
import { objectionRow, sideOf, stepActor } from './objections.js';

type Db = Kysely<Database>;

/** What each action does: who takes it, from which states, to which. */
const TRANSITIONS = {
  correct: { side: 'provider', from: ['open', 'reopened'], to: 'corrected' },
  explain: { side: 'provider', from: ['open', 'reopened'], to: 'explained' },
  confirm: { side: 'consumer', from: ['corrected', 'explained'], to: 'confirmed' },
  reopen: { side: 'consumer', from: ['corrected', 'explained'], to: 'reopened' },
} as const satisfies Record<
  string,
  { side: 'provider' | 'consumer'; from: readonly ObjectionStatus[]; to: ObjectionStatus }
>;

/** An action on an objection. */
export type ObjectionAction = keyof typeof TRANSITIONS;

/** The states an action may start from (for the console and the docs). */
export function allowedFrom(action: ObjectionAction): readonly ObjectionStatus[] {
  return TRANSITIONS[action].from;
}

const TITLES: Record<ObjectionAction, string> = {
  correct: '数据异议已更正',
  explain: '数据异议已答复说明',
  confirm: '数据异议已确认办结',
  reopen: '数据异议被重新提出',
};

/**
 * Moves an objection one step: the provider's steward corrects (at the source) or explains; the
 * consumer's side confirms (closed) or reopens (the deadline starts again). A step from a state
 * that does not allow it is a 409 `invalid_objection_state`; the update is conditional on the
 * state read, so two answers at once cannot both pass. The other side is notified.
 */
export async function actOnObjection(
  db: Db,
  actor: Actor,
  id: string,
  action: ObjectionAction,
  text: string,
): Promise<ObjectionView> {
  const rule = TRANSITIONS[action];
  const current = await objectionRow(db, id);
  const { caller, side } = sideOf(actor, current);
  if (side !== rule.side)
    throw new ForbiddenError(
      rule.side === 'provider'
        ? 'Only the providing organisation answers an objection'
        : 'Only the objecting organisation confirms or reopens an objection',
    );
  authorize(caller, rule.side === 'provider' ? 'objection.answer' : 'objection.close', {
    orgId: side === 'provider' ? current.provider_id : current.consumer_id,
    noun: 'Objection',
  });
  const refuse = (status: ObjectionStatus) =>
    new ConflictError('invalid_objection_state', `An objection that is ${status} cannot be ${action}ed`, {
      status,
      action,
      allowedFrom: [...rule.from],
    });
  if (!(rule.from as readonly string[]).includes(current.status)) throw refuse(current.status);
  const now = new Date();
  const step: StoredObjectionStep = {
    action: rule.to,
    at: now.toISOString(),
    by: stepActor(caller),
    orgId: caller.orgId,
    text,
  };
  const updated = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('objections')
      .set({
        status: rule.to,
        updated_at: now,
        history: JSON.stringify([...(current.history as StoredObjectionStep[]), step]),
        ...(rule.side === 'provider' ? { answered_at: now } : {}),
        ...(action === 'confirm' ? { closed_at: now } : {}),
        // 重新提出: the provider's deadline counts again from now; the earlier answer is history.
        ...(action === 'reopen' ? { filed_at: now, answered_at: null } : {}),
      })
      .where('id', '=', id)
      .where('status', '=', current.status)
      .where('updated_at', '=', current.updated_at)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const to: Recipient =
      rule.side === 'consumer'
        ? { orgId: row.provider_id, role: 'data_steward' }
        : row.raised_by.startsWith('application:')
          ? { orgId: row.consumer_id, role: 'analyst' }
          : { orgId: row.consumer_id, userId: row.raised_by };
    await notify(trx, to, {
      kind: `objection.${rule.to === 'corrected' || rule.to === 'explained' ? 'answered' : rule.to}`,
      title: `${TITLES[action]}：${row.resource_name}`,
      body: text,
    });
    return row;
  });
  if (!updated) throw refuse((await objectionRow(db, id)).status);
  return presentObjection(db, updated);
}
