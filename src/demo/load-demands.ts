import type { PlatformClient } from './client.js';
import type { ResourceCodes } from './load-catalog.js';
import type { OrgIds, Sessions } from './load-members.js';
import type { LoadReport } from './load-report.js';
import { ACCOUNTS } from './members.js';

/** How far the demo takes a demand (需求清单), so that the console shows each state. */
type Outcome =
  | { kind: 'submitted' }
  | { kind: 'declined'; reason: string }
  | { kind: 'existing_resource' | 'new_entry'; resource: string; note: string };

/** A demand of the demo: who posts it, what it asks, which department it goes to, and how far it gets. */
interface DemoDemand {
  requester: string;
  title: string;
  description: string;
  purpose: string;
  legalBasis: string;
  items: string[];
  /** The member the requester believes holds the data (a suggestion), and the one the platform assigns. */
  suggested: string;
  outcome: Outcome;
}

/**
 * The demo's demands: one answered by a new entry still in catalog review (it closes when the
 * reviewer approves the entry), one answered by an existing resource (closed), one declined by a
 * department that does not hold the data (back to the platform), one waiting to be assigned.
 */
export const DEMANDS: DemoDemand[] = [
  {
    requester: 'fzjy.analyst',
    title: '学生资助发放信息',
    description: '入学报名时核验家庭经济困难学生已享受的国家资助，免交证明材料。',
    purpose: '义务教育阶段家庭经济困难学生认定',
    legalBasis: '《学生资助资金管理办法》第六条',
    items: ['公民身份号码', '资助项目', '发放金额', '发放日期'],
    suggested: 'jyt',
    outcome: { kind: 'new_entry', resource: '学生资助发放信息', note: '已编目，待目录审核通过后发布' },
  },
  {
    requester: 'mxjr.analyst',
    title: '小微企业月度用电量',
    description: '按统一社会信用代码查询企业近12个月用电量，用于评估经营活跃度。',
    purpose: '小微企业普惠信贷风险评估',
    legalBasis: '借款企业授权书',
    items: ['统一社会信用代码', '用电量'],
    suggested: 'sgcc',
    outcome: {
      kind: 'existing_resource',
      resource: '企业月度用电信息',
      note: '目录中已有该资源，请按共享申请流程申请',
    },
  },
  {
    requester: 'mzt.analyst',
    title: '残疾人两项补贴发放信息',
    description: '困难残疾人生活补贴和重度残疾人护理补贴的发放对象和金额，用于低保家庭收入核对。',
    purpose: '低保家庭经济状况核对',
    legalBasis: '《社会救助暂行办法》第十一条',
    items: ['公民身份号码', '补贴类别', '发放金额'],
    suggested: 'wjw',
    outcome: { kind: 'declined', reason: '残疾人两项补贴数据由省残联掌握，不属本委职责，请重新分派' },
  },
  {
    requester: 'scjg.analyst',
    title: '企业环境信用评价结果',
    description: '企业环境信用评价等级及评价年度，用于市场主体信用风险分类。',
    purpose: '市场主体信用风险分类监管',
    legalBasis: '《企业信息公示暂行条例》第六条',
    items: ['统一社会信用代码', '评价等级', '评价年度'],
    suggested: 'sthj',
    outcome: { kind: 'submitted' },
  },
];

const stewardOf = (org: string) =>
  ACCOUNTS.find((a) => a.org === org && a.roles.includes('data_steward'))!.username;
const ADMIN = ACCOUNTS.find((a) => a.roles.includes('platform_admin'))!.username;

/**
 * Posts the demo's demands and takes each as far as its outcome, through the API as the people
 * would: the requester posts, the platform administrator assigns, the department answers or
 * declines.
 */
export async function loadDemands(
  client: PlatformClient,
  sessions: Sessions,
  orgs: OrgIds,
  codes: ResourceCodes,
  report: LoadReport,
): Promise<void> {
  const base = '/api/v1/governance/demands';
  for (const d of DEMANDS) {
    const posted = await client.call<{ id: string }>(await sessions.as(d.requester), 'POST', base, {
      title: d.title,
      description: d.description,
      purpose: d.purpose,
      legalBasis: d.legalBasis,
      items: d.items.map((name) => ({ name })),
      suggestedOrgId: orgs.get(d.suggested),
    });
    report.count('demands');
    if (d.outcome.kind === 'submitted') continue;
    await client.call(await sessions.as(ADMIN), 'POST', `${base}/${posted.id}/assign`, {
      orgId: orgs.get(d.suggested),
    });
    const steward = await sessions.as(stewardOf(d.suggested));
    if (d.outcome.kind === 'declined')
      await client.call(steward, 'POST', `${base}/${posted.id}/decline`, { reason: d.outcome.reason });
    else
      await client.call(steward, 'POST', `${base}/${posted.id}/answer`, {
        kind: d.outcome.kind,
        resourceCode: codes.get(d.outcome.resource),
        note: d.outcome.note,
      });
  }
}
