import type { Kysely } from 'kysely';
import { type Actor, authorize } from '../../identity/index.js';
import { cursorDate, type Database, decodeCursor, type Page, toPage } from '../../store/index.js';
import { demandRow, presentDemands } from './rows.js';
import type { DemandQuery, DemandView } from './schemas.js';
import { searchTerms } from './search-doc.js';

type Db = Kysely<Database>;

/**
 * The demand list (需求清单), newest first: every signed-in member sees every demand — it is the
 * platform's public list of needs, so that a department can see what is asked of the catalog and
 * a consumer what others already asked. Words of `q` must each appear; filters narrow.
 */
export async function listDemands(db: Db, actor: Actor, query: DemandQuery): Promise<Page<DemandView>> {
  authorize(actor, 'demand.read');
  const after = decodeCursor(query.cursor);
  let select = db
    .selectFrom('demands')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  for (const term of searchTerms(query.q)) select = select.where('search_doc', 'like', term);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.assignedOrgId) select = select.where('assigned_org_id', '=', query.assignedOrgId);
  if (query.requesterOrgId) select = select.where('requester_org_id', '=', query.requesterOrgId);
  if (after)
    select = select.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await select.execute();
  const page = toPage(
    rows,
    query.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    (r) => r,
  );
  return { items: await presentDemands(db, page.items), nextCursor: page.nextCursor };
}

/** One demand with its history (any signed-in member). */
export async function getDemand(db: Db, actor: Actor, id: string): Promise<DemandView> {
  authorize(actor, 'demand.read');
  return (await presentDemands(db, [await demandRow(db, id)], true))[0]!;
}
