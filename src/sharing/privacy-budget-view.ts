import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { presentGrants } from './grant-names.js';
import { visibleGrantRow } from './grants.js';
import { privacyBudgetOf } from './presenters.js';
import type { GrantView, PrivacyBudget } from './schemas.js';
import { shanghaiDay } from './shanghai-day.js';

/** A grant's ε budget (statistics, or sandbox with noise) as its two sides see it: the limits, and what is spent. */
export const PrivacyBudgetStateSchema = z.object({
  grantId: z.uuid(),
  epsilonPerDay: z
    .number()
    .nullable()
    .describe('null: a grant without a budget (neither statistics nor noised sandbox)'),
  epsilonTotal: z.number().nullable(),
  spentToday: z.number().describe('ε spent today (Asia/Shanghai)'),
  spentTotal: z.number().describe('ε spent since the grant began'),
});
export type PrivacyBudgetState = z.infer<typeof PrivacyBudgetStateSchema>;

/** What a grant's consumer or provider may see of its ε budget: limits and spending, no data. */
export async function grantPrivacyBudget(
  db: Kysely<Database>,
  actor: Actor,
  grantId: string,
  now = new Date(),
): Promise<PrivacyBudgetState> {
  const grant = await visibleGrantRow(db, actor, grantId);
  const budget = privacyBudgetOf(grant);
  const row = await db
    .selectFrom('privacy_budget_spends')
    .select(['day', 'day_micro', 'total_micro'])
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
  return {
    grantId,
    epsilonPerDay: budget?.epsilonPerDay ?? null,
    epsilonTotal: budget?.epsilonTotal ?? null,
    spentToday: row && row.day === shanghaiDay(now) ? Number(row.day_micro) / 1e6 : 0,
    spentTotal: row ? Number(row.total_micro) / 1e6 : 0,
  };
}

/**
 * The provider's steward lowers the ε budget of a statistics grant, or of a sandbox grant with
 * noise (never raises it: the approved terms
 * are the most it may have, as for a later review step). One conditional UPDATE, so that two
 * stewards lowering at once cannot leave it above either's value. Spending is not reset.
 */
export async function lowerPrivacyBudget(
  db: Kysely<Database>,
  actor: Actor,
  grantId: string,
  budget: PrivacyBudget,
): Promise<GrantView> {
  const row = await visibleGrantRow(db, actor, grantId, 'grant.manage');
  if (row.use !== 'statistics' && row.sandbox_epsilon === null)
    throw new BadRequestError(
      'budget_not_applicable',
      'Only a statistics grant, or a sandbox grant with noise, has an ε budget',
      {
        field: 'privacyBudget',
      },
    );
  const updated = await db
    .updateTable('grants')
    .set({
      epsilon_per_day: budget.epsilonPerDay,
      epsilon_total: budget.epsilonTotal,
      updated_at: new Date(),
    })
    .where('id', '=', grantId)
    .where('epsilon_per_day', '>=', budget.epsilonPerDay)
    .where('epsilon_total', '>=', budget.epsilonTotal)
    .returningAll()
    .executeTakeFirst();
  if (!updated)
    throw new BadRequestError('quota_exceeds_request', 'The ε budget may only be lowered', {
      field: 'privacyBudget',
      current: privacyBudgetOf(row),
    });
  return (await presentGrants(db, [updated]))[0]!;
}
