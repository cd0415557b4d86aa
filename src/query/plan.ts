import { getResource } from '../catalog/index.js';
import { AppError, NotFoundError } from '../errors/index.js';
import { checkQuota, resolveAccess } from '../sharing/index.js';
import { auditActorOf } from './audit-actor.js';
import { requireBinding } from './bindings.js';
import type { Caller, QueryContext } from './context.js';
import { assertNoDrift } from './drift.js';
import { enforceOpenK } from './open-data-k.js';
import { type SecureView, secureView } from './secure-view.js';

/**
 * The plan and enforce steps for one resource: resolve the code to a resource the caller may see,
 * decide its access afresh (no cache: a revocation stops the next request), check the day's
 * quota (unless the caller takes it before reading), find where its data lives, and build the secure view; open data under a k-anonymity
 * gate must pass it (`open_release_below_k`).
 */
export async function planResource(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  options: { quotaTakenBeforeRead?: boolean } = {},
): Promise<SecureView> {
  const db = ctx.store.db;
  const resource = await getResource(db, caller.actor, code);
  const access = await resolveAccess(db, caller.actor, resource, {
    ip: caller.ip,
    readOnly: caller.readOnly,
    openDataMinK: ctx.openDataMinK,
    onAutoGrant: async (grant) => {
      await ctx.audit.append({
        type: 'grant.created',
        actor: auditActorOf(caller.actor),
        requestId: caller.requestId,
        resources: [resource.code],
        data: { grantId: grant.id, automatic: true, sharingType: 'unconditional' },
      });
    },
  });
  // A delivery that takes its quota before reading (rows.ts: reserveUsage, which refuses the
  // same way and atomically) spares this read; everything else checks here.
  const quota = options.quotaTakenBeforeRead ? { rowsLeft: null } : await checkQuota(db, access);
  const binding = await requireBinding(db, resource.id, resource.code);
  await assertNoDrift(ctx, binding);
  const view = { ...secureView(resource, access, binding), rowsLeft: quota.rowsLeft };
  // Open data under a k-anonymity gate (every release of personal items has one, a release stored
  // without one the proposal) is measured afresh on every read, before any row is read.
  await enforceOpenK(ctx, caller, view);
  return view;
}

/**
 * For SQL, a resource the caller may not read is reported exactly like one that does not exist,
 * so that table names cannot be used to probe the catalog.
 */
export async function planForSql(ctx: QueryContext, caller: Caller, code: string): Promise<SecureView> {
  try {
    return await planResource(ctx, caller, code);
  } catch (error) {
    if (error instanceof AppError && (error.status === 403 || error.status === 404)) {
      throw new NotFoundError(`Resource ${code}`, 'resource_not_found');
    }
    throw error;
  }
}
