import { z } from 'zod';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import { classifyColumns, type TableClassification } from '../privacy/index.js';
import { getSource } from '../sources/index.js';
import { auditActorOf } from './audit-actor.js';
import { BindingFromSchema } from './bindings.js';
import type { QueryContext } from './context.js';

/** Body of POST /sources/{id}/scan. */
export const ScanRequestSchema = z.strictObject({
  from: BindingFromSchema.describe('the table, view, file or SELECT to sample'),
  sampleSize: z.number().int().min(1).max(100_000).default(1000),
});
export type ScanRequest = z.infer<typeof ScanRequestSchema>;

/**
 * The privacy scan of a source table: samples rows inside the platform, runs the detectors over
 * values and column names, and returns a proposed personal-information kind and grade per column
 * and for the table. Only the classification leaves; the sampled values do not.
 */
export async function scanSource(
  ctx: QueryContext,
  actor: Actor,
  sourceId: string,
  request: ScanRequest,
  requestId?: string,
): Promise<TableClassification & { sampled: number }> {
  const source = await getSource(ctx.store.db, sourceId).catch(() => {
    throw new NotFoundError('Source');
  });
  authorize(actor, 'source.read', { orgId: source.orgId, noun: 'Source' });
  const connector = await ctx.connectorFor(source.id);
  const described = await connector.describeFrom(request.from);
  const result = await connector.read({
    from: request.from,
    columns: described.map((c) => c.name),
    limit: request.sampleSize,
  });
  const values: Array<Array<string | null>> = described.map(() => []);
  let sampled = 0;
  for await (const batch of result.batches) {
    for (const row of batch) {
      for (let i = 0; i < row.length; i++)
        values[i]!.push(row[i] === null || row[i] === undefined ? null : String(row[i]));
    }
    sampled += batch.length;
  }
  const classification = classifyColumns(described.map((c, i) => ({ name: c.name, values: values[i]! })));
  await ctx.audit.append({
    type: 'source.scanned',
    actor: auditActorOf(actor),
    // The request's id ties the entry to the answer that carried the classification.
    requestId: requestId ?? null,
    data: {
      sourceId: source.id,
      from: JSON.stringify(request.from),
      sampled,
      grade: classification.grade.grade,
    },
  });
  return { ...classification, sampled };
}
