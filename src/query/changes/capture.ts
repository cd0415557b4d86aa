import { ConflictError } from '../../errors/index.js';
import type { CaptureStatus, CaptureTable, ChangeCapture } from '../../sources/index.js';
import { findBinding } from '../bindings.js';
import type { QueryContext } from '../context.js';
import { type EnforcedBatch, enforceChanges, type HeldKeys, type Subscriber } from './enforce.js';

/** One captured batch as exchange/ sees it: where it ends, and a way to enforce it for a subscriber (never its raw rows). */
export interface ChangeBatchHandle {
  position: string;
  enforce(subscriber: Subscriber, held: HeldKeys): Promise<EnforcedBatch>;
}

function captureOf(ctx: QueryContext, sourceId: string): Promise<ChangeCapture> {
  if (!ctx.captureFor) throw new ConflictError('capture_not_supported', 'Change capture is not configured');
  return ctx.captureFor(sourceId);
}

/** The tables behind some resources of one source, with their keys; a resource bound to a SELECT cannot be captured. */
async function tablesOf(
  ctx: QueryContext,
  capture: ChangeCapture,
  resourceIds: string[],
): Promise<CaptureTable[]> {
  const tables = new Map<string, CaptureTable>();
  for (const id of resourceIds) {
    const binding = await findBinding(ctx.store.db, id);
    if (!binding) continue;
    if (binding.from.kind !== 'table')
      throw new ConflictError('capture_not_supported', 'A resource bound to a SELECT cannot be captured');
    const table = { schema: binding.from.schema ?? null, table: binding.from.table };
    const keyColumns = await capture.keyColumns(table);
    if (keyColumns.length === 0)
      throw new ConflictError('capture_needs_key', `Table ${table.table} has no primary key`);
    tables.set(`${table.schema}.${table.table}`, { ...table, keyColumns });
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
  const capture = await captureOf(ctx, sourceId);
  const tables = await tablesOf(ctx, capture, resourceIds);
  await (tables.length ? capture.prepare(tables) : capture.drop());
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
  const capture = await captureOf(ctx, sourceId);
  await capture.prepare(await tablesOf(ctx, capture, resourceIds));
  try {
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
