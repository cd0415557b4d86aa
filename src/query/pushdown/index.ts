import type { HmacKey } from '../../privacy/index.js';
import type { Connector } from '../../sources/index.js';
import { aggregateFunctionNames } from '../duckdb-parser.js';
import type { ViewRequest } from '../read-view.js';
import type { Sandbox } from '../sandbox.js';
import type { SecureView } from '../secure-view.js';
import { extractPushdown } from './extract.js';
import { joinKeyConditions, type LoadedSide } from './join-keys.js';
import type { PushedPredicate, ViewPushdown } from './predicate.js';
import { exactIn, exactWithoutNative, pushedConditions } from './render.js';
import type { ScopedView } from './scope.js';

export { extractPushdown } from './extract.js';
export type { LoadedSide } from './join-keys.js';
export { loadOrder } from './joins.js';
export type { JoinEdge, PushedPredicate, ViewPushdown } from './predicate.js';
export type { ScopedView } from './scope.js';

/**
 * What each view's read may leave out for a consumer's SELECT (its serialised `statement`),
 * or nothing when pushdown is switched off (HUITONG_QUERY_PUSHDOWN=off).
 */
export async function planPushdown(
  enabled: boolean,
  statement: unknown,
  views: Map<string, ScopedView>,
): Promise<Map<string, ViewPushdown>> {
  if (!enabled) return new Map();
  return extractPushdown(statement, views, await aggregateFunctionNames());
}

/**
 * A query's read of one view (`request`: its columns and the quota's cap) narrowed by what the
 * SQL lets it leave out. Only a source that runs SQL takes the conditions; any other still
 * sends every allowed row (a limit there would cut before the conditions). The limit goes only
 * with conditions the source runs exactly as the sandbox would (render.ts `exactIn`).
 */
export async function narrowedRequest(
  request: ViewRequest,
  view: SecureView,
  pushed: ViewPushdown | undefined,
  connector: Pick<Connector, 'dialect' | 'pushdown' | 'describeFrom'>,
  hmacKey: HmacKey,
): Promise<ViewRequest> {
  const dialect = connector.dialect;
  if (!pushed || !connector.pushdown || dialect === null) return request;
  const narrowed: ViewRequest = {
    ...request,
    conditions: pushedConditions(view, pushed.predicates, dialect, hmacKey),
  };
  if (pushed.limit === undefined) return narrowed;
  const byName = new Map(view.columns.map((c) => [c.name, c]));
  const columnOf = (p: PushedPredicate) => byName.get(p.column)!;
  let natives = new Map<string, string>();
  if (!pushed.predicates.every((p) => exactWithoutNative(p, columnOf(p), dialect))) {
    // One describe (the source's catalogue) to know a text column is plain text, not char(n).
    const described = await connector.describeFrom(view.binding.from);
    natives = new Map(described.map((c) => [c.name, c.nativeType]));
  }
  const exact = pushed.predicates.every((p) =>
    exactIn(p, columnOf(p), dialect, natives.get(columnOf(p).source)),
  );
  if (!exact) return narrowed;
  return {
    ...narrowed,
    limit: Math.min(pushed.limit, request.limit ?? Number.POSITIVE_INFINITY),
    sort: pushed.sort,
  };
}

/**
 * A view's read (already `narrowedRequest`) narrowed further to the join keys of the views
 * already in the sandbox (`loaded`, `box`): dynamic filtering, join-keys.ts. Only a source that
 * runs SQL takes them; not a view whose rows are marked (its values in the sandbox are not its
 * source's); only from views of its own provider or into a source of the caller's organisation.
 */
export async function narrowedByJoins(
  request: ViewRequest,
  view: SecureView,
  pushed: ViewPushdown | undefined,
  connector: Pick<Connector, 'dialect' | 'pushdown'>,
  hmacKey: HmacKey,
  loaded: Map<string, LoadedSide>,
  box: Pick<Sandbox, 'stream'>,
  callerOrg: string | undefined,
): Promise<ViewRequest> {
  if (!pushed?.joins || !connector.pushdown || connector.dialect === null) return request;
  const keys = await joinKeyConditions(view, pushed, loaded, box, connector.dialect, hmacKey, callerOrg);
  return keys.length ? { ...request, conditions: [...(request.conditions ?? []), ...keys] } : request;
}
