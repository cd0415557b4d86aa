import type { DeadlineRuleView } from '../api/governance.js';
import type { Translate } from '../i18n/index.js';

/** What a deadline rule is for, as people read it: 共享申请答复（重要）, 目录审核 …. */
export function ruleLabel(t: Translate, rule: Pick<DeadlineRuleView, 'step' | 'grade'>): string {
  const grade = rule.grade === 'any' ? '' : t(`grade.${rule.grade}` as 'grade.general');
  return t(`cal.step.${rule.step}` as 'cal.step.demand', { grade });
}
