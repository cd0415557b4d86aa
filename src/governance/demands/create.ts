import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseInput } from '../../catalog/index.js';
import { BadRequestError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import { notify } from '../../sharing/index.js';
import type { Database } from '../../store/index.js';
import { addEvent, demandRow, inTransaction, platformAdminOrgs, presentDemands } from './rows.js';
import { type CreateDemandInput, CreateDemandSchema, type DemandView } from './schemas.js';
import { demandSearchDoc } from './search-doc.js';

type Db = Kysely<Database>;

/** Refuses an organisation id that names no organisation (400 `unknown_organization`). */
export async function requireOrganization(db: Db, id: string, field: string): Promise<void> {
  const found = await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new BadRequestError('unknown_organization', 'The organisation does not exist', { field });
}

/**
 * Posts a demand (需求): data the caller's organisation needs that the catalog lacks. It waits
 * for the platform to assign it (待分派) — the department the requester names is a suggestion the
 * administrator sees, not an assignment, since requesters often do not know who holds the data.
 */
export async function createDemand(db: Db, actor: Actor, input: CreateDemandInput): Promise<DemandView> {
  const caller = authorize(actor, 'demand.create');
  const fields = parseInput(CreateDemandSchema, input);
  if (fields.suggestedOrgId) await requireOrganization(db, fields.suggestedOrgId, 'suggestedOrgId');
  const id = randomUUID();
  const now = new Date();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('demands')
      .values({
        id,
        title: fields.title,
        description: fields.description,
        purpose: fields.purpose,
        legal_basis: fields.legalBasis,
        items: JSON.stringify(fields.items),
        suggested_org_id: fields.suggestedOrgId ?? null,
        requester_org_id: caller.orgId,
        requested_by: caller.kind === 'user' ? caller.userId : caller.applicationId,
        status: 'submitted',
        assigned_org_id: null,
        assigned_at: null,
        answer_kind: null,
        answer_resource_id: null,
        answer_text: null,
        answered_at: null,
        closed_at: null,
        created_at: now,
        updated_at: now,
        search_doc: demandSearchDoc(fields),
      })
      .execute();
    await addEvent(trx, id, 'created', caller, { at: now });
    for (const orgId of await platformAdminOrgs(trx))
      await notify(
        trx,
        { orgId, role: 'platform_admin' },
        { kind: 'demand.submitted', title: `新的数据需求待分派：${fields.title}`, body: fields.purpose },
      );
  });
  return (await presentDemands(db, [await demandRow(db, id)], true))[0]!;
}
