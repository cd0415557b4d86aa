import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { BadRequestError, ConflictError, ForbiddenError } from '../errors/index.js';
import { type Actor, authorize, getApplication } from '../identity/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import { refuseCoreInClear } from './grant-check.js';
import { checkItemNames } from './item-filter.js';
import { notify } from './notifications.js';
import { parseBody } from './parse.js';
import { authorizeRequestRead, inTransaction, presentRow, presentRows, requestRow } from './request-rows.js';
import {
  type AccessRequestView,
  type CreateAccessRequestInput,
  CreateAccessRequestSchema,
} from './schemas.js';
import type { AccessRequestStatus, ReviewerRole } from './vocab.js';

type Db = Kysely<Database>;

/** The approval steps a grade asks for: important and core data add the security officer (安全管理员). */
export function stepsForGrade(grade: string): ReviewerRole[] {
  return grade === 'general' ? ['data_steward'] : ['data_steward', 'security_officer'];
}

/**
 * Files an access request (共享申请) for one of the caller's organisation's applications, to a
 * 有条件共享 resource of another organisation: the items wanted, purpose, legal basis, period,
 * expected volume and attachments. The provider's data steward is asked first.
 */
export async function createAccessRequest(
  db: Db,
  actor: Actor,
  input: CreateAccessRequestInput,
): Promise<AccessRequestView> {
  const fields = parseBody(CreateAccessRequestSchema, input);
  const application = await getApplication(db, fields.applicationId);
  const caller = authorize(actor, 'access_request.create', { orgId: application.orgId, noun: 'Application' });
  if (caller.kind !== 'user') throw new Error('unreachable: requests are filed by people');
  const resource = await getResource(db, actor, fields.resourceCode);
  if (resource.provider.id === caller.orgId) {
    throw new ConflictError('own_resource', 'Your organisation provides this resource; no request is needed');
  }
  if (resource.status !== 'published') throw new ConflictError('resource_retired', 'The resource is retired');
  if (resource.sharingType === 'unconditional') {
    throw new ConflictError(
      'request_not_needed',
      '无条件共享 data needs no request: it is granted on first use',
    );
  }
  const items = [...new Set(fields.items)];
  checkItemNames(
    items,
    resource.items.map((i) => i.name),
    'items',
  );
  refuseCoreInClear(resource, fields.use);
  const now = new Date();
  const validFrom = fields.validFrom ? new Date(fields.validFrom) : now;
  const validUntil = new Date(fields.validUntil);
  if (validUntil <= validFrom || validUntil <= now) {
    throw new BadRequestError('invalid_period', 'validUntil must be in the future and after validFrom', {
      field: 'validUntil',
    });
  }
  const id = randomUUID();
  const roles = stepsForGrade(resource.grade);
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('access_requests')
      .values({
        id,
        application_id: application.id,
        consumer_org_id: caller.orgId,
        resource_id: resource.id,
        resource_code: resource.code,
        resource_name: resource.name,
        provider_id: resource.provider.id,
        grade: resource.grade,
        items: JSON.stringify(items),
        purpose: fields.purpose,
        legal_basis: fields.legalBasis,
        use: fields.use,
        valid_from: validFrom,
        valid_until: validUntil,
        expected_calls_per_day: fields.expectedCallsPerDay ?? null,
        expected_rows_per_day: fields.expectedRowsPerDay ?? null,
        attachments: JSON.stringify(fields.attachments),
        status: 'pending',
        next_role: roles[0]!,
        waiting_since: now,
        terms: null,
        rejection_reason: null,
        rejection_text: null,
        grant_id: null,
        created_by: caller.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('access_request_steps')
      .values(
        roles.map((role, i) => ({
          request_id: id,
          seq: i + 1,
          role,
          status: i === 0 ? 'pending' : 'waiting',
          actor_id: null,
          comment: '',
          started_at: i === 0 ? now : null,
          acted_at: null,
        })),
      )
      .execute();
    await notify(
      trx,
      { orgId: resource.provider.id, role: roles[0]! },
      {
        kind: 'access_request.submitted',
        title: `新的共享申请：${resource.name}`,
        body: `申请用途：${fields.purpose}`,
        accessRequestId: id,
      },
    );
  });
  return presentRow(db, await requestRow(db, id));
}

/** One request the actor may see (either side), with who must act next. */
export async function getAccessRequest(db: Db, actor: Actor, id: string): Promise<AccessRequestView> {
  const row = await requestRow(db, id);
  authorizeRequestRead(actor, row);
  return presentRow(db, row);
}

/** Which requests to list: the organisation's own, those made to it, or those awaiting the caller. */
export type RequestScope = 'consumer' | 'provider' | 'todo';

/** Requests of the caller's organisation by scope, oldest first; `todo` lists those waiting for a role the caller holds. */
export async function listAccessRequests(
  db: Db,
  actor: Actor,
  scope: RequestScope,
  page: PageQuery,
  filter: { status?: AccessRequestStatus } = {},
): Promise<Page<AccessRequestView>> {
  const caller =
    scope === 'consumer'
      ? authorize(actor, 'access_request.read')
      : authorize(actor, scope === 'todo' ? 'access_request.review' : 'access_request.oversee');
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('access_requests')
    .selectAll()
    .where(scope === 'consumer' ? 'consumer_org_id' : 'provider_id', '=', caller.orgId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (scope === 'todo')
    query = query.where('status', '=', 'pending').where('next_role', 'in', [...caller.roles]);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  const views = new Map((await presentRows(db, rows.slice(0, page.limit))).map((v) => [v.id, v]));
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    (r) => views.get(r.id)!,
  );
}

/** Withdraws a pending request (the applicant's organisation); its open steps are cancelled. */
export async function withdrawAccessRequest(db: Db, actor: Actor, id: string): Promise<AccessRequestView> {
  const row = await inTransaction(db, async (trx) => {
    const current = await requestRow(trx, id, true);
    authorizeRequestRead(actor, current);
    // The provider may read the request but only the applicant's side withdraws it.
    if (actor.kind === 'anonymous' || actor.orgId !== current.consumer_org_id) {
      throw new ForbiddenError('Only the applicant’s organisation withdraws a request');
    }
    authorize(actor, 'access_request.withdraw', { orgId: current.consumer_org_id, noun: 'Access request' });
    if (current.status !== 'pending')
      throw new ConflictError('request_not_pending', 'The request is already decided');
    const now = new Date();
    await trx
      .updateTable('access_request_steps')
      .set({ status: 'cancelled' })
      .where('request_id', '=', id)
      .where('status', 'in', ['pending', 'waiting'])
      .execute();
    await notify(
      trx,
      { orgId: current.provider_id, role: current.next_role ?? 'data_steward' },
      {
        kind: 'access_request.withdrawn',
        title: `共享申请已撤回：${current.resource_name}`,
        body: '',
        accessRequestId: id,
      },
    );
    return trx
      .updateTable('access_requests')
      .set({ status: 'withdrawn', next_role: null, waiting_since: null, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return presentRow(db, row);
}
