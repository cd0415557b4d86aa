import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { ConflictError, ForbiddenError } from '../errors/index.js';
import { type Actor, type AuthenticatedActor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { presentGrants } from './grant-names.js';
import { type GrantRow, insertGrant } from './grants.js';
import { notify } from './notifications.js';
import { parseBody } from './parse.js';
import { json } from './presenters.js';
import { inTransaction, presentRow, type RequestRow, requestRow } from './request-rows.js';
import {
  type AccessRequestView,
  type ApprovalTermsInput,
  type GrantView,
  type RejectionInput,
  RejectionSchema,
} from './schemas.js';
import { isPartial, narrowTerms, requestedTerms, type Terms } from './terms.js';
import { type AccessUse, SHARING_LABELS } from './vocab.js';

type Db = Kysely<Database>;

/** The outcome of an approval: the request, and the grant when it was the last step. */
export interface ApprovalOutcome {
  request: AccessRequestView;
  grant: GrantView | null;
}

/**
 * Locks a pending request and checks the actor may act on its current step: a reviewer of the
 * provider (others 404; the applicant's side 403) who holds the step's role (403 `not_your_step`).
 */
async function currentStep(trx: Db, actor: Actor, id: string) {
  const row = await requestRow(trx, id, true);
  if (actor.kind !== 'anonymous' && actor.orgId === row.consumer_org_id) {
    authorize(actor, 'access_request.read', { orgId: row.consumer_org_id, noun: 'Access request' });
    throw new ForbiddenError('Only the provider decides on a request');
  }
  const caller = authorize(actor, 'access_request.review', {
    orgId: row.provider_id,
    noun: 'Access request',
  });
  if (row.status !== 'pending')
    throw new ConflictError('request_not_pending', 'The request is already decided');
  const steps = await trx
    .selectFrom('access_request_steps')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('seq')
    .execute();
  const step = steps.find((s) => s.status === 'pending')!;
  if (!caller.roles.includes(step.role as never)) {
    throw new ForbiddenError(`This step is for the ${step.role}`, 'not_your_step');
  }
  const next = steps.find((s) => s.seq === step.seq + 1) ?? null;
  return { row, step, next, caller: caller as Extract<AuthenticatedActor, { kind: 'user' }> };
}

async function closeStep(
  trx: Db,
  row: RequestRow,
  seq: number,
  status: string,
  actorId: string,
  comment: string,
) {
  await trx
    .updateTable('access_request_steps')
    .set({ status, actor_id: actorId, comment, acted_at: new Date() })
    .where('request_id', '=', row.id)
    .where('seq', '=', seq)
    .execute();
}

function grantFromTerms(trx: Db, row: RequestRow, terms: Terms, by: string): Promise<GrantRow> {
  return insertGrant(trx, {
    request_id: row.id,
    origin: 'request',
    auto_key: null,
    application_id: row.application_id,
    consumer_org_id: row.consumer_org_id,
    resource_id: row.resource_id,
    resource_code: row.resource_code,
    provider_id: row.provider_id,
    items: JSON.stringify(terms.items),
    row_filter: JSON.stringify(terms.rowFilter),
    purpose: row.purpose,
    use: row.use,
    valid_from: terms.validFrom,
    valid_until: terms.validUntil,
    calls_per_day: terms.quota?.callsPerDay ?? null,
    rows_per_day: terms.quota?.rowsPerDay ?? null,
    allowed_ips: terms.allowedIps,
    may_export: terms.mayExport,
    epsilon_per_day: terms.privacyBudget?.epsilonPerDay ?? null,
    epsilon_total: terms.privacyBudget?.epsilonTotal ?? null,
    sandbox_epsilon: terms.sandboxNoise?.epsilon ?? null,
    status: 'active',
    status_reason: '',
    created_by: by,
  });
}

/**
 * Approves the current step of a request, in full or in part (fewer items, masks, a row filter,
 * a shorter period, quotas, an address list). The last step creates the grant and tells the
 * applicant; an earlier one hands the request to the next reviewer.
 */
export async function approveAccessRequest(
  db: Db,
  actor: Actor,
  id: string,
  input: ApprovalTermsInput,
): Promise<ApprovalOutcome> {
  const { row, grant } = await inTransaction(db, async (trx) => {
    const { row, step, next, caller } = await currentStep(trx, actor, id);
    const resource = await getResource(trx, actor, row.resource_code);
    const requested = requestedTerms(row, resource);
    const base = row.terms ? json<Terms>(row.terms) : requested;
    const terms = narrowTerms(base, input, resource, row.terms === null, row.use as AccessUse);
    const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
    await closeStep(trx, row, step.seq, 'approved', caller.userId, comment);
    const now = new Date();
    if (next) {
      await trx
        .updateTable('access_request_steps')
        .set({ status: 'pending', started_at: now })
        .where('request_id', '=', id)
        .where('seq', '=', next.seq)
        .execute();
      await notify(
        trx,
        { orgId: row.provider_id, role: next.role },
        {
          kind: 'access_request.review',
          title: `待审核的共享申请：${row.resource_name}`,
          body: comment,
          accessRequestId: id,
        },
      );
      const updated = await trx
        .updateTable('access_requests')
        .set({ next_role: next.role, waiting_since: now, terms: JSON.stringify(terms), updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row: updated, grant: null };
    }
    const grant = await grantFromTerms(trx, row, terms, `user:${caller.userId}`);
    const status = isPartial(requested, terms) ? 'partially_approved' : 'approved';
    await notify(
      trx,
      { orgId: row.consumer_org_id, userId: row.created_by },
      {
        kind: `access_request.${status}`,
        title: `共享申请${SHARING_LABELS.status[status]}：${row.resource_name}`,
        body: comment,
        accessRequestId: id,
        grantId: grant.id,
      },
    );
    const updated = await trx
      .updateTable('access_requests')
      .set({
        status,
        next_role: null,
        waiting_since: null,
        terms: JSON.stringify(terms),
        grant_id: grant.id,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row: updated, grant };
  });
  return { request: await presentRow(db, row), grant: grant ? (await presentGrants(db, [grant]))[0]! : null };
}

/** Rejects a request at its current step with a coded reason and a text; the applicant is told. */
export async function rejectAccessRequest(
  db: Db,
  actor: Actor,
  id: string,
  input: RejectionInput,
): Promise<AccessRequestView> {
  const body = parseBody(RejectionSchema, input);
  const row = await inTransaction(db, async (trx) => {
    const { row, step, caller } = await currentStep(trx, actor, id);
    await closeStep(trx, row, step.seq, 'rejected', caller.userId, body.text);
    await trx
      .updateTable('access_request_steps')
      .set({ status: 'cancelled' })
      .where('request_id', '=', id)
      .where('status', '=', 'waiting')
      .execute();
    await notify(
      trx,
      { orgId: row.consumer_org_id, userId: row.created_by },
      {
        kind: 'access_request.rejected',
        title: `共享申请不予同意：${row.resource_name}`,
        body: `${SHARING_LABELS.rejectionReason[body.reason]}：${body.text}`,
        accessRequestId: id,
      },
    );
    return trx
      .updateTable('access_requests')
      .set({
        status: 'rejected',
        next_role: null,
        waiting_since: null,
        rejection_reason: body.reason,
        rejection_text: body.text,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return presentRow(db, row);
}
