import type { Actor } from '../identity/index.js';
import type { Caller, QueryContext } from './context.js';
import { planForSql } from './plan.js';
import type { Column } from './row-stream.js';

/** A resource the caller may read now, as a transport lists it: what SQL over it would see. */
export interface ReadableTable {
  code: string;
  name: string;
  provider: { id: string; code: string; name: string };
  /** The columns a query would get: the granted items (typed as delivered, text once masked). */
  columns: Column[];
}

// The codes of the resources granted to the actor: an application's own grants, or its
// organisation's for a person. Each is then planned afresh, which is what decides.
async function grantedCodes(ctx: QueryContext, actor: Actor): Promise<string[]> {
  if (actor.kind === 'anonymous') return [];
  let query = ctx.store.db
    .selectFrom('grants')
    .select('resource_code')
    .distinct()
    .where('consumer_org_id', '=', actor.orgId)
    .where('status', '=', 'active');
  if (actor.kind === 'application') query = query.where('application_id', '=', actor.applicationId);
  const rows = await query.orderBy('resource_code').execute();
  return rows.map((r) => r.resource_code);
}

/**
 * The resources granted to the caller that it may read at this moment (grant in force, address
 * allowed, quota left, binding in place), each with the columns its secure view delivers. A
 * resource planning refuses is left out, exactly as a query naming it would be refused.
 */
export async function readableTables(ctx: QueryContext, caller: Caller): Promise<ReadableTable[]> {
  const tables: ReadableTable[] = [];
  for (const code of await grantedCodes(ctx, caller.actor)) {
    try {
      const view = await planForSql(ctx, { ...caller, readOnly: true }, code);
      tables.push({
        code: view.resource.code,
        name: view.resource.name,
        provider: {
          id: view.resource.provider.id,
          code: view.resource.provider.code,
          name: view.resource.provider.name,
        },
        columns: view.columns.map((c) => ({ name: c.name, type: c.type, label: c.item })),
      });
    } catch {
      // Not readable now: invisible, like a resource that does not exist.
    }
  }
  return tables;
}
