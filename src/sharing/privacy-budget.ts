import { type Kysely, sql } from 'kysely';
import { TooManyRequestsError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { Access } from './access.js';
import { secondsToNextDay, shanghaiDay } from './shanghai-day.js';

type Db = Kysely<Database>;

/** What is left of a grant's ε budget after an answer: today's and the whole period's. */
export interface BudgetLeft {
  epsilonSpent: number;
  remainingToday: number;
  remainingTotal: number;
}

const micro = (epsilon: number) => Math.round(epsilon * 1e6);
const fromMicro = (value: number) => Math.max(0, value) / 1e6;

/**
 * Spends ε of a grant's budget (a statistics grant, or a sandbox grant with noise) before its
 * answer is computed, atomically across
 * processes: one UPDATE adds the cost only while today's and the total spend stay within the
 * budget (PostgreSQL re-checks its condition on the row it waited for), so parallel queries
 * together never overspend. Refused (429 `privacy_budget_exhausted`, with what is left) otherwise.
 * Spent ε is never given back, whatever happens afterwards: an answer may already be derived.
 */
export async function spendPrivacyBudget(
  db: Db,
  access: Access,
  epsilon: number,
  now = new Date(),
): Promise<BudgetLeft> {
  const budget = access.privacyBudget;
  if (!access.grantId || !budget) throw new Error('spendPrivacyBudget: a grant with an ε budget is required');
  const day = shanghaiDay(now);
  const cost = micro(epsilon);
  const perDay = micro(budget.epsilonPerDay);
  const total = micro(budget.epsilonTotal);
  await db
    .insertInto('privacy_budget_spends')
    .values({ grant_id: access.grantId, day, day_micro: 0, total_micro: 0 })
    .onConflict((oc) => oc.column('grant_id').doNothing())
    .execute();
  const today = sql<number>`CASE WHEN day = ${day} THEN day_micro ELSE 0 END`;
  const spent = await db
    .updateTable('privacy_budget_spends')
    .set({
      day,
      day_micro: sql`${today} + ${cost}`,
      total_micro: sql`total_micro + ${cost}`,
    })
    .where('grant_id', '=', access.grantId)
    .where(sql<boolean>`${today} + ${cost} <= ${perDay} AND total_micro + ${cost} <= ${total}`)
    .returning(['day_micro', 'total_micro'])
    .executeTakeFirst();
  if (spent)
    return {
      epsilonSpent: epsilon,
      remainingToday: fromMicro(
        Math.min(perDay - Number(spent.day_micro), total - Number(spent.total_micro)),
      ),
      remainingTotal: fromMicro(total - Number(spent.total_micro)),
    };
  const left = await privacyBudgetLeft(db, access, now);
  throw new TooManyRequestsError(
    `This answer costs ε ${epsilon}; ε ${left.remainingToday} is left today and ${left.remainingTotal} in all`,
    left.remainingTotal < epsilon ? 86_400 : secondsToNextDay(now),
    'privacy_budget_exhausted',
    { epsilon, remainingToday: left.remainingToday, remainingTotal: left.remainingTotal },
  );
}

/** What a grant with an ε budget has left today and in all, without spending. */
export async function privacyBudgetLeft(db: Db, access: Access, now = new Date()): Promise<BudgetLeft> {
  const budget = access.privacyBudget;
  if (!access.grantId || !budget) return { epsilonSpent: 0, remainingToday: 0, remainingTotal: 0 };
  const row = await db
    .selectFrom('privacy_budget_spends')
    .select(['day', 'day_micro', 'total_micro'])
    .where('grant_id', '=', access.grantId)
    .executeTakeFirst();
  const today = row && row.day === shanghaiDay(now) ? Number(row.day_micro) : 0;
  const total = row ? Number(row.total_micro) : 0;
  return {
    epsilonSpent: 0,
    remainingToday: fromMicro(
      Math.min(micro(budget.epsilonPerDay) - today, micro(budget.epsilonTotal) - total),
    ),
    remainingTotal: fromMicro(micro(budget.epsilonTotal) - total),
  };
}
