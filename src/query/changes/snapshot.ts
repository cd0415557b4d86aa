import type { CapturedChange } from '../../sources/index.js';
import type { QueryContext } from '../context.js';
import { planResource } from '../plan.js';
import { bindingCapture, keyColumnsOf } from './capture.js';
import { type EnforcedBatch, enforceChanges, type HeldKeys, type Subscriber } from './enforce.js';

/**
 * A subscription's initial snapshot: the resource's rows read from the source in batches and
 * enforced as inserts through the same steps as changes (grant decided afresh per batch, one
 * release entry per batch). Start it after `prepareCapture`: changes made meanwhile stay in the
 * capture and follow the snapshot, so none is lost (some may arrive again, with the newer state last).
 * `label` starts the positions its event ids derive from: a snapshot taken again (on resume) is
 * labelled anew, so its events are not mistaken for the first one's.
 */
export async function* snapshotBatches(
  ctx: QueryContext,
  subscriber: Subscriber,
  held: HeldKeys,
  batchSize = 1000,
  label = 'snapshot',
): AsyncGenerator<EnforcedBatch> {
  const caller = { actor: subscriber.actor, ip: '', requestId: `subscription:${subscriber.subscriptionId}` };
  const view = await planResource(ctx, caller, subscriber.resourceCode);
  const from = view.binding.from;
  if (from.kind !== 'table') return;
  const connector = await ctx.connectorFor(view.binding.sourceId);
  const capture = ctx.captureFor ? await bindingCapture(ctx, view.binding) : undefined;
  const keyColumns = capture ? await keyColumnsOf(capture, view.binding) : [];
  const result = await connector.read(
    { from, filters: [], sort: keyColumns.map((column) => ({ column, direction: 'asc' })) },
    { batchSize },
  );
  const names = result.columns.map((c) => c.name);
  let n = 0;
  for await (const batch of result.batches) {
    const changes: CapturedChange[] = batch.map((values) => {
      const row = Object.fromEntries(names.map((name, i) => [name, values[i]]));
      const key = Object.fromEntries(keyColumns.map((c) => [c, row[c] ?? null]));
      return { schema: from.schema ?? null, table: from.table, op: 'insert', key, row };
    });
    // Snapshot rows are compared with the keys held so far: a snapshot taken again updates.
    yield await enforceChanges(ctx, subscriber, changes, `${label}:${n++}`, held);
  }
}
