import type { Kysely } from 'kysely';
import { parseInput } from '../../catalog/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import { notify } from '../../sharing/index.js';
import type { Database } from '../../store/index.js';
import { answerFacts } from './answer-check.js';
import { requireOrganization } from './create.js';
import { addEvent, demandRow, inTransaction, moveDemand, platformAdminOrgs, presentDemands } from './rows.js';
import {
  type AnswerDemandInput,
  AnswerDemandSchema,
  type AssignDemandInput,
  AssignDemandSchema,
  type DemandView,
  ReasonSchema,
} from './schemas.js';

type Db = Kysely<Database>;

const present = async (db: Db, id: string) => (await presentDemands(db, [await demandRow(db, id)], true))[0]!;
const requester = (row: { requester_org_id: string; requested_by: string }) => ({
  orgId: row.requester_org_id,
  userId: row.requested_by,
});

/**
 * Assigns a waiting demand (待分派, or returned by a department) to the department that should
 * answer it (platform administrator). Its clock starts now (`assignedAt`).
 */
export async function assignDemand(
  db: Db,
  actor: Actor,
  id: string,
  input: AssignDemandInput,
): Promise<DemandView> {
  const caller = authorize(actor, 'demand.assign');
  const fields = parseInput(AssignDemandSchema, input);
  await inTransaction(db, async (trx) => {
    const row = await demandRow(trx, id);
    await requireOrganization(trx, fields.orgId, 'orgId');
    const now = new Date();
    await moveDemand(
      trx,
      row,
      ['submitted', 'returned'],
      { status: 'assigned', assigned_org_id: fields.orgId, assigned_at: now, updated_at: now },
      'assigned',
    );
    await addEvent(trx, id, 'assigned', caller, { orgId: fields.orgId, text: fields.note, at: now });
    for (const role of ['data_steward', 'org_admin'])
      await notify(
        trx,
        { orgId: fields.orgId, role },
        { kind: 'demand.assigned', title: `数据需求已分派给本单位：${row.title}`, body: row.purpose },
      );
    await notify(trx, requester(row), {
      kind: 'demand.assigned',
      title: `您的数据需求已分派：${row.title}`,
      body: fields.note,
    });
  });
  return present(db, id);
}

/**
 * The assigned department declines the assignment as not theirs (退回), with its reason: the
 * demand goes back to the platform to be assigned again. Not a refusal of the demand itself.
 */
export async function declineAssignment(db: Db, actor: Actor, id: string, input: { reason: string }) {
  const { reason } = parseInput(ReasonSchema, input);
  await inTransaction(db, async (trx) => {
    const row = await demandRow(trx, id);
    const caller = authorize(actor, 'demand.answer', {
      orgId: row.assigned_org_id ?? undefined,
      noun: 'Demand',
    });
    const now = new Date();
    await moveDemand(
      trx,
      row,
      ['assigned'],
      { status: 'returned', assigned_org_id: null, assigned_at: null, updated_at: now },
      'declined',
    );
    await addEvent(trx, id, 'declined', caller, { orgId: row.assigned_org_id, text: reason, at: now });
    for (const orgId of await platformAdminOrgs(trx))
      await notify(
        trx,
        { orgId, role: 'platform_admin' },
        { kind: 'demand.declined', title: `数据需求被退回，请重新分派：${row.title}`, body: reason },
      );
  });
  return present(db, id);
}

/**
 * The assigned department answers: an existing published resource closes the demand (已办结);
 * a new catalog entry of its own waits for the entry's publication (待发布) unless already
 * published; a refusal (不予提供) needs its reasons.
 */
export async function answerDemand(
  db: Db,
  actor: Actor,
  id: string,
  input: AnswerDemandInput,
): Promise<DemandView> {
  const answer = parseInput(AnswerDemandSchema, input);
  await inTransaction(db, async (trx) => {
    const row = await demandRow(trx, id);
    const caller = authorize(actor, 'demand.answer', {
      orgId: row.assigned_org_id ?? undefined,
      noun: 'Demand',
    });
    const now = new Date();
    if (answer.kind === 'refusal') {
      await moveDemand(
        trx,
        row,
        ['assigned'],
        {
          status: 'refused',
          answer_kind: 'refusal',
          answer_text: answer.reason,
          answered_at: now,
          closed_at: now,
        },
        'answered',
      );
      await addEvent(trx, id, 'refused', caller, { text: answer.reason, at: now });
      await notify(trx, requester(row), {
        kind: 'demand.refused',
        title: `您的数据需求不予提供：${row.title}`,
        body: answer.reason,
      });
      return;
    }
    const facts = await answerFacts(trx, actor, row, answer);
    await moveDemand(
      trx,
      row,
      ['assigned'],
      {
        status: facts.published ? 'closed' : 'awaiting_publication',
        answer_kind: answer.kind,
        answer_resource_id: facts.resourceId,
        answer_text: answer.note,
        answered_at: now,
        closed_at: facts.published ? now : null,
      },
      'answered',
    );
    await addEvent(trx, id, 'answered', caller, { resourceId: facts.resourceId, text: answer.note, at: now });
    if (facts.published)
      await addEvent(trx, id, 'closed', 'system', { resourceId: facts.resourceId, at: now });
    await notify(trx, requester(row), {
      kind: 'demand.answered',
      title: facts.published
        ? `您的数据需求已办结：${row.title}`
        : `您的数据需求已答复，待目录发布：${row.title}`,
      body: `${facts.name}（${facts.code}）${answer.note ? `：${answer.note}` : ''}`,
    });
  });
  return present(db, id);
}

/** The requester's organisation withdraws a demand not yet answered or not yet closed (已撤回). */
export async function withdrawDemand(db: Db, actor: Actor, id: string): Promise<DemandView> {
  await inTransaction(db, async (trx) => {
    const row = await demandRow(trx, id);
    const caller = authorize(actor, 'demand.withdraw', { orgId: row.requester_org_id, noun: 'Demand' });
    const now = new Date();
    await moveDemand(
      trx,
      row,
      ['submitted', 'returned', 'assigned', 'awaiting_publication'],
      { status: 'withdrawn', closed_at: now },
      'withdrawn',
    );
    await addEvent(trx, id, 'withdrawn', caller, { at: now });
    if (row.assigned_org_id)
      await notify(
        trx,
        { orgId: row.assigned_org_id, role: 'data_steward' },
        { kind: 'demand.withdrawn', title: `数据需求已撤回：${row.title}`, body: '' },
      );
  });
  return present(db, id);
}
