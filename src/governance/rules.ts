import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GradeSchema } from '../catalog/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database, DeadlineRuleTable } from '../store/index.js';
import {
  type DeadlineRuleInput,
  DeadlineRuleInputSchema,
  type DeadlineRuleView,
  type DeadlineStep,
} from './schemas.js';

type Db = Kysely<Database>;

// 《政务信息资源共享管理暂行办法》(国发〔2016〕51号) 第十四条: for 有条件共享 the providing
// department answers within 10 working days. A province may shorten it per grade by the API.
export const DEFAULT_REQUEST_WORKING_DAYS = 10;

/**
 * The working days each step allows until an administrator sets a rule. Requests: the State
 * Council's 10. The others follow common provincial practice (e.g. 浙江、福建 sharing rules):
 * a catalog change reviewed and an objection verified (校核) within 5, a demand answered within 10.
 */
export const DEFAULT_WORKING_DAYS: Record<DeadlineStep, number> = {
  access_request: DEFAULT_REQUEST_WORKING_DAYS,
  catalog_review: 5,
  objection: 5,
  demand: 10,
};

/** Every rule key there is: access requests per grade of a 有条件共享 resource, one for each other step. */
const KEYS: Pick<DeadlineRuleView, 'step' | 'sharingType' | 'grade'>[] = [
  ...GradeSchema.options.map((grade) => ({
    step: 'access_request' as const,
    sharingType: 'conditional' as const,
    grade,
  })),
  ...(['catalog_review', 'objection', 'demand'] as const).map((step) => ({
    step,
    sharingType: 'any' as const,
    grade: 'any' as const,
  })),
];

/** Every rule change ever made, oldest first: a request keeps the rule in force when it was filed. */
export class RuleBook {
  constructor(private readonly rows: readonly DeadlineRuleTable[]) {}

  /** The working days a step allowed at an instant (the step's default before any change). */
  workingDays(step: DeadlineStep, sharingType: string, grade: string, at: Date): number {
    return this.latest(step, sharingType, grade, at)?.working_days ?? DEFAULT_WORKING_DAYS[step];
  }

  /** The rule in force at an instant, or undefined for the default. */
  latest(step: string, sharingType: string, grade: string, at: Date): DeadlineRuleTable | undefined {
    let found: DeadlineRuleTable | undefined;
    for (const r of this.rows)
      if (r.step === step && r.sharing_type === sharingType && r.grade === grade && r.set_at <= at) found = r;
    return found;
  }
}

/** The rule book from the store. */
export async function loadRules(db: Db): Promise<RuleBook> {
  const rows = await db.selectFrom('deadline_rules').selectAll().orderBy('set_at').orderBy('id').execute();
  return new RuleBook(rows);
}

/** The rules in force now, one per step (per grade for access requests). */
export async function deadlineRules(db: Db, actor: Actor, now = new Date()): Promise<DeadlineRuleView[]> {
  authorize(actor, 'calendar.read');
  const book = await loadRules(db);
  return KEYS.map((key): DeadlineRuleView => {
    const rule = book.latest(key.step, key.sharingType, key.grade, now);
    return {
      ...key,
      workingDays: rule?.working_days ?? DEFAULT_WORKING_DAYS[key.step],
      source: rule ? 'set' : 'default',
      setBy: rule?.set_by ?? null,
      setAt: rule?.set_at.toISOString() ?? null,
    };
  });
}

/** Changes a rule from now on (platform administrator); requests filed earlier keep theirs. */
export async function setDeadlineRule(
  db: Db,
  actor: Actor,
  input: DeadlineRuleInput,
): Promise<DeadlineRuleView> {
  const caller = authorize(actor, 'deadline_rule.manage');
  const rule = DeadlineRuleInputSchema.parse(input);
  const setAt = new Date();
  const setBy = caller.kind === 'user' ? caller.userId : caller.applicationId;
  await db
    .insertInto('deadline_rules')
    .values({
      id: randomUUID(),
      step: rule.step,
      sharing_type: rule.sharingType,
      grade: rule.grade,
      working_days: rule.workingDays,
      set_by: setBy,
      set_at: setAt,
    })
    .execute();
  return { ...rule, source: 'set', setBy, setAt: setAt.toISOString() };
}
