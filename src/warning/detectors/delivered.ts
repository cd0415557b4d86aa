import type { AuditEntryView } from '../../audit/index.js';
import type { DetectorContext } from './detector.js';
import { type Delivered, isDelivery, numberField } from './entries.js';

/**
 * What a release delivered: a whole release holds its details and rows; a completion holds rows
 * and points back to the start that holds the details.
 */
export async function delivered(entry: AuditEntryView, ctx: DetectorContext): Promise<Delivered | undefined> {
  if (entry.type === 'data.release.start') ctx.lookups.rememberStart(entry);
  if (!isDelivery(entry)) return undefined;
  const rows = numberField(entry, 'rows');
  if (rows === undefined || rows <= 0) return undefined;
  if (entry.type === 'data.release') return { details: entry, rows };
  if (entry.ref === null) return undefined;
  const start = await ctx.lookups.startOf(entry.ref);
  return start ? { details: start, rows } : undefined;
}
