import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { visibleGrantRow } from './grants.js';
import { privacyBudgetOf } from './presenters.js';
import { shanghaiDay } from './shanghai-day.js';

/** A statistics grant's ε budget as its two sides see it: the limits, and what is spent. */
export const PrivacyBudgetStateSchema = z.object({
  grantId: z.uuid(),
  epsilonPerDay: z.number().nullable().describe('null: not a statistics grant (no budget)'),
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
