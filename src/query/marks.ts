import { cachedRead } from '../store/index.js';
import { loadTracingSettings, markPlan, markRow, recipientOf } from '../tracing/index.js';
import type { Caller, QueryContext } from './context.js';
import type { RowStream } from './row-stream.js';
import { isClear, type SecureView } from './secure-view.js';

/** How one delivery of a view is marked: the fields to read, and the rows' transformation. */
export interface DeliveryMarks {
  /** The fields to read: the asked ones, plus the row key when it was not asked (dropped after marking). */
  fields: string[] | undefined;
  apply(stream: RowStream): RowStream;
}

/**
 * The leak-tracing marks of one delivery (docs/tracing.md), or null when it carries none: open
 * data and anonymous readers (no recipient), answers that are not detail rows, resources whose
 * steward declared no tolerant item, and views without the key item or any tolerant one in clear.
 * The row key is read even when not asked, so that a consumer cannot shed the marks by leaving it
 * out; it is dropped again before the rows leave.
 */
export async function deliveryMarks(
  ctx: QueryContext,
  caller: Caller,
  view: SecureView,
  fields: string[] | undefined,
): Promise<DeliveryMarks | null> {
  const recipient = view.access.mode === 'open' ? null : recipientOf(caller.actor);
  if (!recipient || view.access.use !== 'detail') return null;
  // A steward's settings, like the resource's own metadata: reused for under a second (read-cache.ts).
  const settings = await cachedRead(ctx.store.db, `tracing:${view.resource.id}`, () =>
    loadTracingSettings(ctx.store.db, view.resource.id),
  );
  if (!settings.keyItem || settings.items.length === 0) return null;
  const key = view.columns.find((c) => c.item === settings.keyItem);
  if (!key) return null;
  const delivered = fields ?? view.columns.map((c) => c.name);
  const tolerant = new Map(settings.items.map((i) => [i.item, i]));
  const read = delivered.includes(key.name) ? delivered : [...delivered, key.name];
  const byName = new Map(view.columns.map((c) => [c.name, c]));
  const columns = read.flatMap((name, index) => {
    const column = byName.get(name);
    const setting = column && isClear(column.mask) ? tolerant.get(column.item) : undefined;
    return setting
      ? [{ index, item: setting.item, tolerance: { kind: setting.kind, step: setting.tolerance } }]
      : [];
  });
  if (columns.length === 0) return null;
  const plan = markPlan(ctx.traceSecret, view.resource.id, recipient, read.indexOf(key.name), columns);
  const width = delivered.length;
  return {
    fields: fields === undefined && read.length === delivered.length ? undefined : read,
    apply: (stream) => ({
      columns: stream.columns.slice(0, width),
      batches: (async function* () {
        for await (const batch of stream.batches)
          yield batch.map((row) => markRow(plan, row).slice(0, width));
      })(),
    }),
  };
}
