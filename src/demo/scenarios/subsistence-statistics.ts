import { ApiError } from '../client.js';
import { route } from '../pending-routes.js';
import { codeOf, login, type ScenarioContext, type ScenarioOutcome } from './context.js';

interface StatisticsAnswer {
  epsilon: { spent: number; remainingToday: number; remainingTotal: number };
  groups: Array<{ group: string; values: Array<{ measure: string; value: number; noiseStddev: number }> }>;
}

const TYPES = ['城市低保', '农村低保'];
// Anything shaped like an ID number, masked or not: no such thing may be in a statistics answer.
const ID_LIKE = /\d{6}[\d*]{8}\d{3}[\dXx]/;

/**
 * 可用不可见, first step: the provincial data bureau's monitoring platform holds a statistics grant
 * on civil affairs' 低保 households. It asks how many households each kind of allowance covers
 * and what they receive on average; the answers come noised within its ε budget, and no row of
 * the households, nor any record through rows or SQL, ever reaches it.
 */
export async function subsistenceStatistics(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const auth = await login(ctx, 'sjj.analyst');
  steps.push('sjj.analyst (省大数据管理局) logged in');
  const code = await codeOf(ctx, auth, '最低生活保障家庭信息');
  const [method, path] = route('statistics', { code });
  const answer = await ctx.client.call<StatisticsAnswer>(auth, method, path, {
    measures: [{ fn: 'count' }, { fn: 'avg', item: '月保障金额(元)' }],
    groupBy: { item: '保障类别', groups: TYPES },
    epsilon: 0.5,
  });
  for (const g of answer.groups) {
    const [count, avg] = g.values;
    steps.push(
      `  ${g.group}: about ${count!.value} households (±${count!.noiseStddev}), average ${avg!.value.toFixed(0)} 元/月`,
    );
  }
  steps.push(
    `spent ε ${answer.epsilon.spent}; left today ${answer.epsilon.remainingToday}, in all ${answer.epsilon.remainingTotal}`,
  );
  // The resource code has long digit runs of its own: look at what was answered.
  const noRecord = !ID_LIKE.test(JSON.stringify(answer.groups));
  steps.push(noRecord ? 'no ID number, masked or clear, in the answer' : 'an ID number was in the answer');
  let rowsRefused = false;
  try {
    const [m, p] = route('rows', { code });
    await ctx.client.call(auth, m, p);
  } catch (error) {
    rowsRefused = error instanceof ApiError && error.code === 'detail_not_allowed';
  }
  steps.push(rowsRefused ? 'the rows themselves: refused (detail_not_allowed)' : 'the rows were served');
  const answered =
    answer.groups.map((g) => g.group).join() === TYPES.join() &&
    // A noisy count may fall below zero for a small group (σ ≈ 2.8): any finite figure is an answer.
    answer.groups.every((g) => g.values.length === 2 && g.values.every((v) => Number.isFinite(v.value)));
  return {
    name: 'subsistence-statistics',
    title: '可用不可见: 低保统计',
    ok: answered && noRecord && rowsRefused && answer.epsilon.spent === 1,
    steps,
    evidence: { answer },
  };
}
