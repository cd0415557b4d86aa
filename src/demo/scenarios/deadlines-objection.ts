import { OVERDUE_REQUEST_RESOURCE } from '../load-governance.js';
import { codeOf, login, type ScenarioContext, type ScenarioOutcome } from './context.js';

interface Overdue {
  resourceName: string;
  providerName: string;
  consumerName: string;
  dueDate: string;
  overdueWorkingDays: number;
  escalated: boolean;
}
interface Objection {
  id: string;
  status: string;
}

/**
 * 办理时限与异议处理: the bureau's auditor finds the access request left unanswered past its 10
 * working days, escalated to the provider's administrator; then civil affairs objects to a
 * market-registration record it read, market regulation corrects it, and civil affairs confirms.
 * Expected: the overdue request escalated, and the objection closed after the correction.
 */
export async function deadlinesAndObjection(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const auditor = await login(ctx, 'sjj.auditor');
  const sla = await ctx.client.call<{ overdue: Overdue[] }>(auditor, 'GET', '/api/v1/governance/sla');
  const late = sla.overdue.find((o) => o.resourceName === OVERDUE_REQUEST_RESOURCE);
  steps.push(
    late
      ? `sjj.auditor: ${late.consumerName}'s request for ${late.resourceName} was due ${late.dueDate}, ${late.overdueWorkingDays} working days overdue, ${late.escalated ? `escalated to ${late.providerName}'s administrator` : 'not escalated yet'}`
      : `sjj.auditor: no overdue request for ${OVERDUE_REQUEST_RESOURCE}`,
  );

  const analyst = await login(ctx, 'mzt.analyst');
  const code = await codeOf(ctx, analyst, '市场主体登记信息');
  const page = await ctx.client.call<{ rows: Array<Record<string, unknown>> }>(
    analyst,
    'GET',
    `/api/v1/resources/${code}/rows?limit=1`,
  );
  const creditCode = String(page.rows[0]?.credit_code ?? '');
  const raised = await ctx.client.call<Objection>(analyst, 'POST', '/api/v1/governance/objections', {
    resourceCode: code,
    keyColumn: 'credit_code',
    rowKeys: [creditCode],
    items: ['登记状态'],
    description: '该企业已于上月注销，登记状态仍为存续',
    expected: '注销',
    evidence: '福州市市场监管局注销登记通知书',
  });
  steps.push(`mzt.analyst objected to ${creditCode} of 市场主体登记信息 (${code}): ${raised.status}`);
  const steward = await login(ctx, 'scjg.steward');
  const corrected = await ctx.client.call<Objection>(
    steward,
    'POST',
    `/api/v1/governance/objections/${raised.id}/correct`,
    { reply: '经核实已在登记系统更正为注销，次日同步' },
  );
  steps.push(`scjg.steward verified and corrected it at the source: ${corrected.status}`);
  const confirmed = await ctx.client.call<Objection>(
    analyst,
    'POST',
    `/api/v1/governance/objections/${raised.id}/confirm`,
    { comment: '已核对，确认更正' },
  );
  steps.push(`mzt.analyst confirmed the correction: ${confirmed.status}`);
  return {
    name: 'deadlines-objection',
    title: '办理时限与异议处理',
    ok: Boolean(late?.escalated) && confirmed.status === 'confirmed',
    steps,
    evidence: { overdue: late ?? null, objection: confirmed },
  };
}
