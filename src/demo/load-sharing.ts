import type { ApplicationView } from '../identity/index.js';
import type { PlatformClient } from './client.js';
import type { ResourceCodes } from './load-catalog.js';
import type { Sessions } from './load-members.js';
import type { LoadReport } from './load-report.js';
import { route } from './pending-routes.js';

/** An access request of the demo: who asks for what, why, and who approves it (if anyone yet). */
interface DemoRequest {
  consumer: string;
  resource: string;
  purpose: string;
  /** The provider steward who approves it; absent: left pending (待审核). */
  approver?: string;
}

/** The demo's access requests: approved ones behind the scenarios, pending ones for the console. */
export const REQUESTS: DemoRequest[] = [
  {
    consumer: 'scjg.analyst',
    resource: '企业月度用电信息',
    purpose: '综合分析风险因素：以电看企业经营状态，排查"空壳"企业',
    approver: 'sgcc.steward',
  },
  {
    consumer: 'mzt.analyst',
    resource: '市场主体登记信息',
    purpose: '低保家庭经济状况核对：核查家庭成员名下企业',
    approver: 'scjg.steward',
  },
  {
    consumer: 'mzt.analyst',
    resource: '社会保险参保信息',
    purpose: '低保家庭经济状况核对：核查家庭成员就业和缴费情况',
    approver: 'rst.steward',
  },
  {
    consumer: 'fzjy.analyst',
    resource: '全省户籍人口基本信息',
    purpose: '义务教育入学资格审核（户籍）',
    approver: 'gat.steward',
  },
  {
    consumer: 'llwl.analyst',
    resource: '企业纳税信息',
    purpose: '供应商准入的纳税信用核查',
    approver: 'sw.steward',
  },
  { consumer: 'mxjr.analyst', resource: '企业月度用电信息', purpose: '小微企业普惠信贷风险评估（以电证信）' },
  { consumer: 'mxjr.analyst', resource: '企业纳税信息', purpose: '小微企业"银税互动"授信' },
  { consumer: 'llwl.analyst', resource: '市场主体登记信息', purpose: '客户主体资格核验' },
  { consumer: 'sjj.analyst', resource: '全省户籍人口基本信息', purpose: '人口发展监测分析' },
];

/** The applications (应用系统) members register, with who registers them. */
const APPLICATIONS = [
  {
    owner: 'fzjy.admin',
    name: '福州市义务教育入学报名系统',
    description: '入学报名"免证明"：核验户籍和社保，不再要求家长提交证明。',
  },
  { owner: 'scjg.analyst', name: '市场主体风险监测系统', description: '以电力、税务数据研判企业经营异常。' },
  {
    owner: 'mzt.analyst',
    name: '社会救助家庭经济状况核对系统',
    description: '低保、特困等救助对象的跨部门核对。',
  },
  { owner: 'sgcc.admin', name: '电力数据服务平台', description: '国网福建电力对外数据服务。' },
];

/** Registers applications with one API key each (the keys are not kept: each scenario makes its own). */
export async function loadApplications(
  client: PlatformClient,
  sessions: Sessions,
  report: LoadReport,
): Promise<void> {
  for (const app of APPLICATIONS) {
    const auth = await sessions.as(app.owner);
    const existing = await client.all<ApplicationView>(auth, '/api/v1/applications');
    if (existing.some((a) => a.name === app.name)) continue;
    const created = await client.call<ApplicationView>(auth, 'POST', '/api/v1/applications', {
      name: app.name,
      description: app.description,
    });
    await client.call(auth, 'POST', `/api/v1/applications/${created.id}/keys`, {
      name: '生产环境',
      roles: ['analyst'],
    });
    report.count('applications');
  }
}

/** Files the demo's access requests and approves those the story has approved. */
export async function loadRequests(
  client: PlatformClient,
  sessions: Sessions,
  codes: ResourceCodes,
  report: LoadReport,
): Promise<void> {
  for (const request of REQUESTS) {
    const [method, path] = route('requestAccess');
    const filed = await report.attempt('requestAccess', async () =>
      client.call<{ id: string }>(await sessions.as(request.consumer), method, path, {
        resourceCode: codes.get(request.resource),
        purpose: request.purpose,
      }),
    );
    if (!filed) return;
    report.count('access requests');
    if (!request.approver) continue;
    const [m, p] = route('approve', { id: filed.id });
    const approved = await report.attempt('approve', async () =>
      client.call(await sessions.as(request.approver!), m, p, {
        comment: '同意。请按申请用途使用，不得向第三方提供。',
      }),
    );
    if (approved) report.count('grants');
  }
}
