import type { ApplicationView } from '../identity/index.js';
import { demoResource } from './catalog/index.js';
import type { PlatformClient } from './client.js';
import type { ResourceCodes } from './load-catalog.js';
import type { Sessions } from './load-members.js';
import type { LoadReport } from './load-report.js';
import { ACCOUNTS } from './members.js';
import { route } from './pending-routes.js';

/** An access request of the demo: who asks for what, why, and whether the provider approved it. */
interface DemoRequest {
  consumer: string;
  resource: string;
  purpose: string;
  legalBasis: string;
  approved: boolean;
  mayExport?: boolean;
  /** 统计用途: differentially private statistics within an ε budget, never a row. */
  statistics?: { epsilonPerDay: number; epsilonTotal: number; clearItems: string[] };
}

/** The demo's access requests: approved ones behind the scenarios, pending ones for the console. */
export const REQUESTS: DemoRequest[] = [
  {
    consumer: 'scjg.analyst',
    resource: '企业月度用电信息',
    purpose: '综合分析风险因素：以电看企业经营状态，排查"空壳"企业',
    legalBasis: '《市场主体登记管理条例》第三十五条 监督检查',
    approved: true,
  },
  {
    consumer: 'mzt.analyst',
    resource: '市场主体登记信息',
    purpose: '低保家庭经济状况核对：核查家庭成员名下企业',
    legalBasis: '《社会救助暂行办法》第十一条 家庭经济状况核对',
    approved: true,
  },
  {
    consumer: 'mzt.analyst',
    resource: '社会保险参保信息',
    purpose: '低保家庭经济状况核对：核查家庭成员就业和缴费情况',
    legalBasis: '《社会救助暂行办法》第十一条 家庭经济状况核对',
    approved: true,
  },
  {
    consumer: 'fzjy.analyst',
    resource: '全省户籍人口基本信息',
    purpose: '义务教育入学资格审核（户籍核验）',
    legalBasis: '《福建省义务教育入学工作实施意见》',
    approved: true,
  },
  {
    consumer: 'llwl.analyst',
    resource: '企业纳税信息',
    purpose: '供应商准入的纳税信用核查',
    legalBasis: '企业授权书（供应商签署）',
    approved: true,
    mayExport: true,
  },
  {
    consumer: 'mxjr.analyst',
    resource: '企业月度用电信息',
    purpose: '小微企业普惠信贷风险评估（以电证信）',
    legalBasis: '借款企业授权书',
    approved: false,
  },
  {
    consumer: 'mxjr.analyst',
    resource: '企业纳税信息',
    purpose: '小微企业"银税互动"授信',
    legalBasis: '借款企业授权书',
    approved: false,
  },
  {
    consumer: 'llwl.analyst',
    resource: '市场主体登记信息',
    purpose: '客户主体资格核验',
    legalBasis: '《电子商务法》第二十七条',
    approved: false,
  },
  {
    consumer: 'sjj.analyst',
    resource: '最低生活保障家庭信息',
    purpose: '全省低保保障水平统计监测（仅统计结果，不取明细）',
    legalBasis: '《社会救助暂行办法》第五条；《福建省大数据发展条例》第二十条',
    approved: true,
    // The allowance is summed and averaged, so it is granted unmasked: no value of it leaves.
    statistics: { epsilonPerDay: 2, epsilonTotal: 20, clearItems: ['月保障金额(元)'] },
  },
  {
    consumer: 'sjj.analyst',
    resource: '全省户籍人口基本信息',
    purpose: '人口发展监测分析',
    legalBasis: '《福建省大数据发展条例》第二十条',
    approved: false,
  },
];

/** The applications (应用系统) consumers register; requests name them. */
export const APPLICATIONS: Record<string, { name: string; description: string }> = {
  fzjy: {
    name: '福州市义务教育入学报名系统',
    description: '入学报名"免证明"：核验户籍和社保，不再要求家长提交证明。',
  },
  scjg: { name: '市场主体风险监测系统', description: '以电力、税务数据研判企业经营异常。' },
  mzt: { name: '社会救助家庭经济状况核对系统', description: '低保、特困等救助对象的跨部门核对。' },
  llwl: { name: '供应商准入管理系统', description: '供应商主体资格与纳税信用核查。' },
  mxjr: { name: '普惠信贷风控系统', description: '小微企业授信前的经营状况评估。' },
  sjj: { name: '经济社会运行监测平台', description: '全省人口、经济运行指标监测。' },
};

const analystOf = (org: string) =>
  ACCOUNTS.find((a) => a.org === org && a.roles.includes('analyst'))!.username;

/** Registers each consumer's application with an API key; returns application ids by member. */
export async function loadApplications(
  client: PlatformClient,
  sessions: Sessions,
  report: LoadReport,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [org, app] of Object.entries(APPLICATIONS)) {
    const auth = await sessions.as(analystOf(org));
    const existing = (await client.all<ApplicationView>(auth, '/api/v1/applications')).find(
      (a) => a.name === app.name,
    );
    const created =
      existing ?? (await client.call<ApplicationView>(auth, 'POST', '/api/v1/applications', app));
    if (!existing) {
      await client.call(auth, 'POST', `/api/v1/applications/${created.id}/keys`, {
        name: '生产环境',
        roles: ['analyst'],
      });
      report.count('applications');
    }
    ids.set(org, created.id);
  }
  return ids;
}

/** Files the demo's access requests and takes the approved ones through every review step. */
export async function loadRequests(
  client: PlatformClient,
  sessions: Sessions,
  codes: ResourceCodes,
  applications: Map<string, string>,
  report: LoadReport,
): Promise<void> {
  const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
  for (const request of REQUESTS) {
    const consumer = ACCOUNTS.find((a) => a.username === request.consumer)!;
    const resource = demoResource(request.resource);
    const [method, path] = route('requestAccess');
    const filed = await report.attempt('requestAccess', async () =>
      client.call<{ id: string; status: string }>(await sessions.as(request.consumer), method, path, {
        applicationId: applications.get(consumer.org),
        resourceCode: codes.get(request.resource),
        items: (resource.entry.items ?? []).map((i) => i.name),
        purpose: request.purpose,
        legalBasis: request.legalBasis,
        use: request.statistics ? 'statistics' : 'detail',
        validUntil,
      }),
    );
    if (!filed) {
      if (report.missing('requestAccess')) return;
      continue;
    }
    report.count('access requests');
    if (!request.approved) continue;
    // The provider's steward decides; important data then goes to its security officer.
    const reviewers = ACCOUNTS.filter(
      (a) =>
        a.org === resource.provider &&
        (a.roles.includes('data_steward') || a.roles.includes('security_officer')),
    ).sort(
      (a, b) => Number(a.roles.includes('security_officer')) - Number(b.roles.includes('security_officer')),
    );
    let status = filed.status;
    let first = true;
    for (const reviewer of reviewers) {
      if (status !== 'pending') break;
      const [m, p] = route('approve', { id: filed.id });
      const stats = first ? request.statistics : undefined;
      first = false;
      const step = await report.attempt('approve', async () =>
        client.call<{ request: { status: string } }>(await sessions.as(reviewer.username), m, p, {
          mayExport: request.mayExport ?? false,
          comment: '同意。请按申请用途使用，不得向第三方提供。',
          ...(stats && {
            items: (resource.entry.items ?? []).map((i) =>
              stats.clearItems.includes(i.name) ? { name: i.name, mask: { kind: 'none' } } : { name: i.name },
            ),
            privacyBudget: { epsilonPerDay: stats.epsilonPerDay, epsilonTotal: stats.epsilonTotal },
          }),
        }),
      );
      status = step?.request.status ?? 'refused';
    }
    if (status === 'approved') report.count('grants');
  }
}
