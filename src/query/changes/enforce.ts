import { createHash, createHmac } from 'node:crypto';
import { ConflictError } from '../../errors/index.js';
import type { Actor } from '../../identity/index.js';
import { type CapturedChange, type ChangeOp, rowsConnector } from '../../sources/index.js';
import { auditActorOf } from '../audit-actor.js';
import type { ConsumerFilter } from '../consumer-filter.js';
import { consumerHmacKey, type QueryContext } from '../context.js';
import { planResource } from '../plan.js';
import { readView, type ViewRequest } from '../read-view.js';
import { openRelease } from '../release.js';
import { checkUse } from '../rows.js';
import type { SecureView } from '../secure-view.js';

/** Who a subscription delivers to, and what of the resource it asked for. */
export interface Subscriber {
  subscriptionId: string;
  actor: Actor;
  resourceCode: string;
  /** Field names (all granted ones when absent). */
  fields?: string[] | null;
  /** The subscriber's own conditions, narrowing the grant's row filter. */
  filters: ConsumerFilter[];
}

/** One change as it leaves for a subscriber: masked, filtered, with a stable event id. */
export interface EnforcedEvent {
  eventId: string;
  op: ChangeOp;
  /** A keyed hash of the row's key, per subscription: identifies the row even when its key is not granted. */
  keyId: string;
  /** The granted key items as delivered (masked when masked). */
  key: Record<string, unknown>;
  /** The row as delivered; null for a delete. */
  row: Record<string, unknown> | null;
}

/** The keyed hashes of the rows a subscriber holds, among those asked (kept by exchange/). */
export type HeldKeys = (keyIds: string[]) => Promise<Set<string>>;

/** A batch enforced and logged: its events, and the keys that now are (or no longer are) held. */
export interface EnforcedBatch {
  events: EnforcedEvent[];
  added: string[];
  removed: string[];
  /** The granted columns as decided for this batch (name, delivered type): a bulk load makes its table from them. */
  columns?: Array<{ name: string; type: string }>;
}

const toRecord = (names: string[], row: unknown[]) => Object.fromEntries(names.map((n, i) => [n, row[i]]));

// A column that carries each row's place in the batch through readView (clear, and dropped before
// delivery), so that one readView enforces a whole batch and each output row maps back to its
// change: per row, readView's set-up cost as much as the row itself.
const PLACE = '__huitong_place';

/**
 * The rows of a batch as `request` of `view` delivers them, in the batch's order: each the row
 * as the subscriber may see it, or null where the row filters keep it out. The same readView
 * (items, masks, row filter, the subscriber's filters) as a read, row by row.
 */
async function enforceRows(
  view: SecureView,
  request: ViewRequest,
  rows: Record<string, unknown>[],
  hmacKey: Buffer,
): Promise<Array<Record<string, unknown> | null>> {
  const out: Array<Record<string, unknown> | null> = rows.map(() => null);
  if (rows.length === 0) return out;
  const tagged: SecureView = {
    ...view,
    columns: [
      ...view.columns,
      { name: PLACE, item: PLACE, source: PLACE, type: 'number', mask: { kind: 'none' } },
    ],
  };
  const columns = [
    ...view.binding.snapshot.map((c) => ({ name: c.name, type: c.type as 'string' })),
    { name: PLACE, type: 'number' as const },
  ];
  const fields = [...(request.fields ?? view.columns.map((c) => c.name)), PLACE];
  const stream = await readView(
    rowsConnector(
      columns,
      rows.map((row, place) => ({ ...row, [PLACE]: place })),
    ),
    tagged,
    { ...request, fields },
    hmacKey,
  );
  const names = stream.columns.map((c) => c.name).slice(0, -1);
  for await (const batch of stream.batches)
    for (const values of batch) out[values.at(-1) as number] = toRecord(names, values);
  return out;
}

/** The rows of changes as the subscriber may see them (null: kept out by the row filters, or a delete). */
function enforceChangeRows(
  view: SecureView,
  subscriber: Subscriber,
  changes: CapturedChange[],
  hmacKey: Buffer,
): Promise<Array<Record<string, unknown> | null>> {
  const withRow = changes.flatMap((c, i) => (c.row ? [i] : []));
  const request = {
    ...(subscriber.fields ? { fields: subscriber.fields } : {}),
    filters: subscriber.filters,
  };
  return enforceRows(
    view,
    request,
    withRow.map((i) => changes[i]?.row as Record<string, unknown>),
    hmacKey,
  ).then((enforced) => {
    const rows: Array<Record<string, unknown> | null> = changes.map(() => null);
    for (const [n, i] of withRow.entries()) rows[i] = enforced[n] ?? null;
    return rows;
  });
}

/** The granted key items of changes as delivered: masked like the row, without the row filters (a delete has only its key). */
async function enforceKeys(view: SecureView, keys: Record<string, unknown>[], hmacKey: Buffer) {
  const out: Record<string, unknown>[] = keys.map(() => ({}));
  // Keys of one table have the same columns; grouped all the same, should they differ.
  const groups = new Map<string, number[]>();
  for (const [i, key] of keys.entries()) {
    const shape = Object.keys(key).sort().join('\n');
    const group = groups.get(shape);
    if (group) group.push(i);
    else groups.set(shape, [i]);
  }
  for (const places of groups.values()) {
    const first = keys[places[0] as number] as Record<string, unknown>;
    const keyed = view.columns.filter((c) => c.source in first);
    if (keyed.length === 0) continue;
    const open = { ...view, rowFilter: [] };
    const enforced = await enforceRows(
      open,
      { fields: keyed.map((c) => c.name) },
      places.map((i) => keys[i] as Record<string, unknown>),
      hmacKey,
    );
    for (const [n, i] of places.entries()) out[i] = enforced[n] ?? {};
  }
  return out;
}

/**
 * Schema drift at the source (a bound column renamed or dropped): a captured row without a column
 * the binding reads must not be delivered with the item silently empty. The batch is refused with
 * `schema_drift` (as a read of a drifted binding is), and the subscription pauses with that reason until the steward binds
 * again and the consumer resumes (a new snapshot).
 */
function checkColumns(view: SecureView, changes: CapturedChange[]): void {
  const bound = view.binding.columns.map((c) => c.column);
  for (const change of changes) {
    if (!change.row) continue;
    const missing = bound.filter((column) => !(column in (change.row as Record<string, unknown>)));
    if (missing.length > 0)
      throw new ConflictError(
        'schema_drift',
        'A column this resource reads is gone at its source; the steward must bind it again',
        { column: missing[0] },
      );
  }
}

/** Whether a change is of the table the resource is bound to. */
function ofBinding(view: SecureView, change: CapturedChange): boolean {
  const from = view.binding.from;
  return (
    from.kind === 'table' && from.table === change.table && (from.schema ?? change.schema) === change.schema
  );
}

/**
 * The enforce and audit steps for a batch of captured changes and one subscriber: the grant is
 * decided afresh (a suspended, revoked or expired grant throws before anything is computed), each
 * change passes the same readView as a read (items, masks, the grant's row filter and the
 * subscriber's own), a row that leaves the filters becomes a delete and one that enters them an
 * insert, and the batch's release entry (rows, bytes, SHA-256) is durable before this returns.
 * `position` names where the batch ends in the source: event ids derive from it, so a batch
 * captured again after a crash carries the same ids.
 */
export async function enforceChanges(
  ctx: QueryContext,
  subscriber: Subscriber,
  changes: CapturedChange[],
  position: string,
  held: HeldKeys,
): Promise<EnforcedBatch> {
  const caller = { actor: subscriber.actor, ip: '', requestId: `subscription:${subscriber.subscriptionId}` };
  const view = await planResource(ctx, caller, subscriber.resourceCode);
  checkUse(view, 'json');
  const hmacKey = consumerHmacKey(ctx, subscriber.actor, view.access);
  const keyIdOf = (key: Record<string, unknown>) =>
    createHmac('sha256', ctx.maskSecret)
      .update(`subscription-key:${subscriber.subscriptionId}:${JSON.stringify(Object.entries(key).sort())}`)
      .digest('base64url');
  const relevant = changes.filter((c) => ofBinding(view, c));
  checkColumns(view, relevant);
  const ids = relevant.map((c) => keyIdOf(c.key));
  const holding = await held([...new Set(ids)]);
  const before = new Set(holding);
  const events: EnforcedEvent[] = [];
  const rows = await enforceChangeRows(view, subscriber, relevant, hmacKey);
  const keys = await enforceKeys(
    view,
    relevant.map((c) => c.key),
    hmacKey,
  );
  for (const [index] of relevant.entries()) {
    const keyId = ids[index] as string;
    const row = rows[index] ?? null;
    let op: ChangeOp | null;
    if (row) op = holding.has(keyId) ? 'update' : 'insert';
    else op = holding.has(keyId) ? 'delete' : null;
    if (!op) continue;
    if (op === 'delete') holding.delete(keyId);
    else holding.add(keyId);
    const eventId = createHash('sha256')
      .update(`${subscriber.subscriptionId}\n${position}\n${index}`)
      .digest('hex')
      .slice(0, 32);
    events.push({ eventId, op, keyId, key: keys[index] ?? {}, row });
  }
  if (events.length > 0) {
    // Write-ahead, as every release: the entry is durable before the events can be sent.
    const release = await openRelease(ctx.audit, {
      actor: auditActorOf(subscriber.actor),
      requestId: caller.requestId,
      resources: [view.resource.code],
      items: { [view.resource.code]: view.columns.map((c) => c.item) },
      grantId: view.access.grantId,
      purpose: view.access.purpose,
      query: `subscription ${subscriber.subscriptionId} changes up to ${position}`,
      format: 'json',
    });
    await release.json(JSON.stringify(events), events.length);
  }
  // What changed in the held set over the whole batch (a key inserted and deleted again is neither).
  return {
    events,
    added: [...holding].filter((k) => !before.has(k)),
    removed: [...before].filter((k) => !holding.has(k)),
    columns: view.columns.map((c) => ({ name: c.name, type: c.type })),
  };
}
