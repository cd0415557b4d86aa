import { z } from 'zod';
import { BadRequestError, ForbiddenError } from '../errors/index.js';
import { traced } from '../observability/index.js';
import {
  chargeUsage,
  checkPerItem,
  checkSharingMethod,
  claimDigests,
  countVerification,
  verificationConsumer,
} from '../sharing/index.js';
import type { Caller, QueryContext } from './context.js';
import { planResource } from './plan.js';
import { openRelease } from './release.js';
import { releaseDetails } from './rows.js';

/** Body of POST /resources/{code}/verify: the claim to check, as item values. */
export const VerifyClaimSchema = z.strictObject({
  values: z
    .record(z.string().min(1).max(100), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 20, '1 to 20 items')
    .describe(
      'item name → claimed value; the first item identifies the record, e.g. {"身份证号": "…", "姓名": "…"}',
    ),
  perItem: z.boolean().default(false).describe('answer per item instead of one match'),
});
export type VerifyClaim = z.infer<typeof VerifyClaimSchema>;

/** The answer: never the data, only whether the claim holds. */
export interface VerifyAnswer {
  match: boolean;
  items?: Record<string, boolean>;
}

/**
 * 核验: checks a claim against the provider's record at the source and answers yes or no, so
 * that "data travels instead of citizens" without the data itself being handed over.
 */
export async function verifyClaim(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  claim: VerifyClaim,
): Promise<VerifyAnswer> {
  const view = await planResource(ctx, caller, code);
  checkSharingMethod(view.resource, view.access, 'verification');
  // A claim checked against one record says something of one person: a statistics grant (noisy
  // aggregates) or a sandbox grant (checked aggregates) never answers it.
  if (view.access.use !== 'detail' && view.access.use !== 'verification')
    throw new ForbiddenError(`${code} may only be used for ${view.access.use}`, 'detail_not_allowed');
  const allowed = new Map(view.access.items.map((i) => [i.name, i]));
  const bound = new Map(view.binding.columns.map((c) => [c.item, c.column]));
  const items = Object.keys(claim.values);
  for (const item of items) {
    if (!allowed.has(item) || !bound.has(item))
      throw new BadRequestError('unknown_item', `${item} cannot be verified here`, { item });
  }
  if (claim.perItem) checkPerItem(view.access, items);
  // Per organisation (not per key) and resource, in the store: see countVerification.
  await countVerification(
    ctx.store.db,
    {
      consumer: verificationConsumer(caller.actor, caller.ip),
      resourceId: view.resource.id,
      access: view.access,
    },
    ctx.verification,
  );
  const [key, ...rest] = items as [string, ...string[]];
  const details = {
    ...releaseDetails(caller, [view], `verify ${JSON.stringify(items)}`, 'verification'),
    items: { [code]: items },
    // Never the claim itself: a keyed digest of each value.
    claim: claimDigests(ctx.maskSecret, claim.values),
  };
  // Write-ahead: the entry is durable before the record is read; a failed check completes it as failed.
  const release = await openRelease(ctx.audit, details);
  try {
    const connector = await ctx.connectorFor(view.binding.sourceId);
    const record = await traced('execute', async () => {
      const result = await connector.read({
        from: view.binding.from,
        // A claim of the key alone still reads one column: a read of none is not a plan.
        columns: rest.length > 0 ? rest.map((i) => bound.get(i)!) : [bound.get(key)!],
        filters: [...view.rowFilter, { column: bound.get(key)!, op: 'eq', value: claim.values[key]! }],
        limit: 1,
      });
      for await (const batch of result.batches) return batch[0];
      return undefined;
    });
    const perItem: Record<string, boolean> = { [key]: record !== undefined };
    rest.forEach((item, i) => {
      perItem[item] =
        record !== undefined && record[i] !== null && String(record[i]) === String(claim.values[item]);
    });
    const match = Object.values(perItem).every(Boolean);
    const answer: VerifyAnswer = claim.perItem ? { match, items: perItem } : { match };
    await chargeUsage(ctx.store.db, view.access, { calls: 1, rows: 0 });
    await release.json(JSON.stringify(answer), 0);
    return answer;
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}
