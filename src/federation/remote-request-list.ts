import type { Selectable } from 'kysely';
import { type AuthenticatedActor, authorize } from '../identity/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import { requireNode } from './node-store.js';
import type { RemoteRequestContext } from './remote-request-exchange.js';
import { followRemoteRequests } from './remote-request-follow.js';
import { type RemoteRequestNames, remoteRequestNames } from './remote-request-names.js';
import {
  RemoteDecisionSchema,
  RemoteRequestSchema,
  type RemoteRequestView,
} from './remote-request-schema.js';

type Row = Selectable<Database['federation_remote_requests']>;

// jsonb comes back parsed from PostgreSQL and as text from some drivers.
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** A remote request as the API shows it, with its provider's and resource's names. */
export function presentRemoteRequest(row: Row, names: RemoteRequestNames): RemoteRequestView {
  return RemoteRequestSchema.parse({
    id: row.id,
    providerNodeId: row.provider_node_id,
    providerNodeName: names.providerNodeName,
    providerRequestId: row.provider_request_id,
    applicationId: row.application_id,
    resourceCode: row.resource_code,
    resourceName: names.resourceName,
    items: json(row.items),
    purpose: row.purpose,
    status: row.status,
    decision: row.decision === null ? null : RemoteDecisionSchema.parse(json(row.decision)),
    checkedAt: row.checked_at ? new Date(row.checked_at).toISOString() : null,
    checkError: row.check_error,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  });
}

/**
 * The remote requests of the caller's organisation, oldest first, read as its local requests are
 * (`access_request.read`). The pending ones are asked of their provider nodes first (signed), so
 * that a decision shows as soon as it is made; a provider that cannot be reached leaves its
 * requests as they were, with the error.
 */
export async function listRemoteRequests(
  ctx: RemoteRequestContext,
  actor: AuthenticatedActor,
  page: PageQuery,
): Promise<Page<RemoteRequestView>> {
  const caller = authorize(actor, 'access_request.read');
  await requireNode(ctx.db);
  // A provider that does not answer delays the list by seconds at most; the follower retries.
  await followRemoteRequests(
    { ...ctx, timeoutMs: Math.min(ctx.timeoutMs ?? 3000, 3000) },
    { orgId: caller.orgId },
  );
  const after = decodeCursor(page.cursor);
  let query = ctx.db
    .selectFrom('federation_remote_requests')
    .selectAll()
    .where('org_id', '=', caller.orgId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  const names = await remoteRequestNames(
    ctx.db,
    rows.map((r) => ({ providerNodeId: r.provider_node_id, resourceCode: r.resource_code })),
  );
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: new Date(r.created_at).toISOString(), id: r.id }),
    (r) => presentRemoteRequest(r, names(r.provider_node_id, r.resource_code)),
  );
}
