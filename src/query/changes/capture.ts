import { ConflictError } from '../../errors/index.js';
import type { CaptureStatus, CaptureTable, ChangeCapture } from '../../sources/index.js';
import { type Binding, findBinding } from '../bindings.js';
import type { QueryContext } from '../context.js';
import { type EnforcedBatch, enforceChanges, type HeldKeys, type Subscriber } from './enforce.js';

/** One captured batch as exchange/ sees it: where it ends, and a way to enforce it for a subscriber (never its raw rows). */
export interface ChangeBatchHandle {
  position: string;
  enforce(subscriber: Subscriber, held: HeldKeys): Promise<EnforcedBatch>;
}

/**
 * The source's capture: its own change log by default, polling when a steward asked for it on
 * the binding of one of `bindings` (the method is the source's, so one asking decides for all).
 */
function captureOf(ctx: QueryContext, sourceId: string, bindings: Binding[] = []): Promise<ChangeCapture> {
  if (!ctx.captureFor) throw new ConflictError('capture_not_supported', 'Change capture is not configured');
  const poll = bindings.some((b) => b.capture?.method === 'poll');
  return ctx.captureFor(sourceId, poll ? { method: 'poll' } : undefined);
}

/** The key columns of a bound table: the source's own (a primary key) for a change log, the steward's for polling and diffs. */
export async function keyColumnsOf(capture: ChangeCapture, binding: Binding): Promise<string[]> {
  if (binding.from.kind !== 'table') return [];
  if (capture.method === 'logical' || capture.method === 'binlog')
    return capture.keyColumns({ schema: binding.from.schema ?? null, table: binding.from.table });
  return binding.capture?.keyColumns ?? [];
}

/** The capture of the source behind one binding, as the subscription's snapshot must key its rows. */
export function bindingCapture(ctx: QueryContext, binding: Binding): Promise<ChangeCapture> {
  return captureOf(ctx, binding.sourceId, [binding]);
}

const POLLED = [{ capture: { method: 'poll' } }] as Binding[];

async function bindingsOf(ctx: QueryContext, resourceIds: string[]): Promise<Binding[]> {
  const found = await Promise.all(resourceIds.map((id) => findBinding(ctx.store.db, id)));
  return found.filter((b): b is Binding => b !== undefined);
}

/** The tables behind some resources of one source, with their keys; a resource bound to a SELECT cannot be captured. */
async function tablesOf(capture: ChangeCapture, bindings: Binding[]): Promise<CaptureTable[]> {
  const tables = new Map<string, CaptureTable>();
  for (const binding of bindings) {
    if (binding.from.kind !== 'table')
      throw new ConflictError('capture_not_supported', 'A resource bound to a SELECT cannot be captured');
    const table = { schema: binding.from.schema ?? null, table: binding.from.table };
    const keyColumns = await keyColumnsOf(capture, binding);
    if (keyColumns.length === 0)
      throw new ConflictError(
        'capture_needs_key',
        `Table ${table.table} has no primary key: name its key and incremental column on the binding`,
      );
    const { incrementalColumn, keyCheckEvery } = binding.capture ?? {};
    tables.set(`${table.schema}.${table.table}`, {
      ...table,
      keyColumns,
      ...(incrementalColumn ? { incrementalColumn } : {}),
      ...(keyCheckEvery ? { keyCheckEvery } : {}),
    });
  }
  return [...tables.values()];
}

/**
 * Prepares a source's capture for exactly the tables of `resourceIds` (a publication and a slot
 * for PostgreSQL, altered as subscriptions come and go; dropped when none is left), and returns
 * the key columns per resource. Run before a subscription's snapshot, so that no change is lost
 * between the snapshot and the stream.
 */
export async function prepareCapture(
  ctx: QueryContext,
  sourceId: string,
  resourceIds: string[],
): Promise<void> {
  const bindings = await bindingsOf(ctx, resourceIds);
  const capture = await captureOf(ctx, sourceId, bindings);
  const tables = await tablesOf(capture, bindings);
  if (tables.length) return capture.prepare(tables);
  await capture.drop();
  // The last subscription may have been polled (a steward's choice, gone with it): its stored
  // position goes too, so a later subscription starts from its own snapshot.
  if (capture.method === 'logical') await (await captureOf(ctx, sourceId, POLLED)).drop();
}

/** Removes what the source's capture holds there (slot, publication): no slot is left behind. */
export async function dropCapture(ctx: QueryContext, sourceId: string): Promise<void> {
  await (await captureOf(ctx, sourceId)).drop();
}

/** The capture's state at the source (slot size, confirmed position), for administrators. */
export async function captureStatus(ctx: QueryContext, sourceId: string): Promise<CaptureStatus> {
  return (await captureOf(ctx, sourceId)).status();
}

/**
 * Streams a source's changes of the tables behind `resourceIds` from `from` until `signal`
 * aborts; `handler` enforces and stores each batch, and only then is the source's position
 * acknowledged (a batch whose handler fails comes again after a restart).
 */
export async function runCapture(
  ctx: QueryContext,
  sourceId: string,
  resourceIds: string[],
  from: string | null,
  handler: (batch: ChangeBatchHandle) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const bindings = await bindingsOf(ctx, resourceIds);
  const capture = await captureOf(ctx, sourceId, bindings);
  try {
    await capture.prepare(await tablesOf(capture, bindings));
    await capture.run(
      from,
      (batch) =>
        handler({
          position: batch.position,
          enforce: (subscriber, held) => enforceChanges(ctx, subscriber, batch.changes, batch.position, held),
        }),
      signal,
    );
  } finally {
    await capture.close();
  }
}
