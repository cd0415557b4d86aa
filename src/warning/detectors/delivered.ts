import type { DetectorContext } from './detector.js';
import { type Delivered, isDelivery, numberField, type SeenEntry, WHOLE_RELEASES } from './entries.js';

/**
 * What a release delivered (when at least `minRows`): a whole release holds its details and rows; a completion holds rows
 * and points back to the start that holds the details (kept or read back by the engine's
 * `Lookups.loadStarts` before the batch is observed).
 */
export function delivered(entry: SeenEntry, ctx: DetectorContext, minRows = 1): Delivered | undefined {
  if (!isDelivery(entry)) return undefined;
  const rows = numberField(entry, 'rows');
  if (rows === undefined || rows <= 0 || rows < minRows) return undefined;
  if (WHOLE_RELEASES.has(entry.type)) return { details: entry, rows };
  if (entry.ref === null) return undefined;
  const start = ctx.lookups.startOf(entry.ref);
  return start ? { details: start, rows } : undefined;
}
