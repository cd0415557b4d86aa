import { auditActorOf } from '../audit-actor.js';
import type { Caller, QueryContext } from '../context.js';
import { planResource } from '../plan.js';
import { openRelease } from '../release.js';
import { checkUse } from '../rows.js';

/** A column as released to a subscriber: its name and delivered type (text once masked). */
export interface ReleasedColumn {
  name: string;
  type: string;
}

/**
 * Releases a page of a subscription's stored events to the caller (the pull channel): the grant
 * is decided afresh for the request (a suspended, revoked or expired grant refuses, and nothing
 * stored for it leaves), the release's start entry is durable under the request's id before the
 * events are read, and its completion (rows, bytes, SHA-256 of the body) before the body is sent.
 * The events were enforced when they were stored; `read` returns the page (given the columns the
 * grant delivers now, for a channel that needs them: a staging table), `count` its events.
 * Push channels release each batch this way too, before it is sent, as the subscription's actor.
 */
export async function releaseEvents<T>(
  ctx: QueryContext,
  caller: Caller,
  subscription: { id: string; resourceCode: string },
  after: number,
  read: (columns: ReleasedColumn[]) => Promise<T>,
  count: (page: T) => number,
  bodyOf: (page: T) => string = (page) => JSON.stringify(page),
): Promise<string> {
  const view = await planResource(ctx, caller, subscription.resourceCode);
  checkUse(view, 'json');
  const release = await openRelease(ctx.audit, {
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: [view.resource.code],
    items: { [view.resource.code]: view.columns.map((c) => c.item) },
    grantId: view.access.grantId,
    purpose: view.access.purpose,
    query: `subscription ${subscription.id} events after ${after}`,
    format: 'json',
  });
  try {
    const page = await read(view.columns.map((c) => ({ name: c.name, type: c.type })));
    const body = bodyOf(page);
    await release.json(body, count(page));
    return body;
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}
