import type { Page } from 'playwright-core';
import { apiSession } from './api.js';
import { buildReviewFixture, OFFICER, type ReviewFixture } from './review-fixture.js';
import type { RunningServer } from './server.js';
import { PEOPLE } from './sharing-fixture.js';

/** Who opens a page: a visitor, or a person who signs in through the form. */
export type Persona = 'visitor' | 'admin' | 'steward' | 'analyst' | 'officer' | 'auditor';

/** A console route as the persona who can open it, and the heading it settles on. */
export interface ConsoleRoute {
  /** The route of web/src/routes.tsx this visits (with its parameters filled in). */
  route: string;
  path: string;
  persona: Persona;
  /** The page's h1 (a string is matched in full). */
  heading: string | RegExp;
  /** A dialog the page opens (a form in a drawer), checked as well: how to open it. */
  dialog?: (page: Page) => Promise<void>;
}

export interface ConsoleFixture extends ReviewFixture {
  credentials: Record<Exclude<Persona, 'visitor'>, { username: string; password: string }>;
  routes: ConsoleRoute[];
}

/**
 * The review fixture (provider, consumer, steward, analyst, officer, auditor, a pending 重要数据
 * request), plus a granted request for the 有条件共享 list, so that the lists have rows with
 * every kind of tag; and every route of web/src/routes.tsx with a persona who can open it.
 */
export async function buildConsoleFixture(server: RunningServer): Promise<ConsoleFixture> {
  const data = await buildReviewFixture(server);
  const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
  const request = await analyst<{ id: string }>('POST', '/api/v1/access-requests', {
    applicationId: data.applicationId,
    resourceCode: data.conditional.code,
    items: ['区划代码', '保障金额'],
    purpose: '医疗救助对象资格核对',
    legalBasis: '《社会救助暂行办法》第二十八条',
    validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    expectedCallsPerDay: 100,
    expectedRowsPerDay: 10_000,
  });
  const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
  await steward('POST', `/api/v1/access-requests/${request.id}/approve`, { comment: '同意' });
  const routes: ConsoleRoute[] = [
    { route: '/login', path: '/login', persona: 'visitor', heading: '登录' },
    { route: '/portal', path: '/portal', persona: 'visitor', heading: /资源目录/ },
    {
      route: '/portal/resources/:code',
      path: `/portal/resources/${data.open.code}`,
      persona: 'visitor',
      heading: data.open.name,
    },
    {
      route: '/portal/organizations/:id',
      path: `/portal/organizations/${data.providerId}`,
      persona: 'visitor',
      heading: '福建省民政厅',
    },
    { route: '/portal/stats', path: '/portal/stats', persona: 'visitor', heading: /统计/ },
    { route: '*', path: '/no-such-page', persona: 'visitor', heading: '404' },
    { route: '/home', path: '/home', persona: 'admin', heading: /欢迎/ },
    { route: '/admin/organizations', path: '/admin/organizations', persona: 'admin', heading: /组织机构/ },
    { route: '/admin/users', path: '/admin/users', persona: 'admin', heading: /用户/ },
    { route: '/admin/roles', path: '/admin/roles', persona: 'admin', heading: /角色/ },
    { route: '/admin/metrics', path: '/admin/metrics', persona: 'admin', heading: /运行监控/ },
    { route: '/admin/calendar', path: '/admin/calendar', persona: 'admin', heading: '工作日历与时限' },
    { route: '/admin/capture', path: '/admin/capture', persona: 'admin', heading: '变更采集状态' },
    { route: '/admin/federation', path: '/admin/federation', persona: 'admin', heading: '联邦节点' },
    { route: '/account', path: '/account', persona: 'analyst', heading: '个人设置' },
    { route: '/workbench/catalog', path: '/workbench/catalog', persona: 'analyst', heading: /共享目录/ },
    {
      route: '/portal/resources/:code',
      path: `/portal/resources/${data.conditional.code}`,
      persona: 'analyst',
      heading: data.conditional.name,
      dialog: (page) => page.getByTestId('apply-open').click(),
    },
    { route: '/workbench/requests', path: '/workbench/requests', persona: 'analyst', heading: /我的申请/ },
    // On this node outside a federation the page says there is no other node to apply to.
    {
      route: '/workbench/remote-requests',
      path: '/workbench/remote-requests',
      persona: 'analyst',
      heading: '跨节点申请',
    },
    {
      route: '/workbench/demands',
      path: '/workbench/demands',
      persona: 'analyst',
      heading: '需求清单',
      dialog: (page) => page.getByTestId('demand-post').click(),
    },
    { route: '/workbench/grants', path: '/workbench/grants', persona: 'analyst', heading: /我的授权/ },
    { route: '/workbench/usage', path: '/workbench/usage', persona: 'analyst', heading: /用量/ },
    { route: '/workbench/sql', path: '/workbench/sql', persona: 'analyst', heading: /SQL/ },
    {
      route: '/workbench/statistics',
      path: '/workbench/statistics',
      persona: 'analyst',
      heading: '隐私统计',
    },
    { route: '/workbench/apps', path: '/workbench/apps', persona: 'analyst', heading: /应用/ },
    {
      route: '/workbench/subscriptions',
      path: '/workbench/subscriptions',
      persona: 'analyst',
      heading: '数据订阅',
    },
    {
      route: '/workbench/objections',
      path: '/workbench/objections',
      persona: 'analyst',
      heading: '数据异议',
      dialog: (page) => page.getByTestId('objection-raise').click(),
    },
    { route: '/provider/objections', path: '/provider/objections', persona: 'steward', heading: '异议处理' },
    { route: '/dashboards/overview', path: '/dashboards/overview', persona: 'analyst', heading: /./ },
    {
      route: '/dashboards/deadlines',
      path: '/dashboards/deadlines',
      persona: 'auditor',
      heading: '办理时限统计',
    },
    {
      route: '/dashboards/assessments',
      path: '/dashboards/assessments',
      persona: 'auditor',
      heading: '月度考核',
    },
    { route: '/dashboards/quality', path: '/dashboards/quality', persona: 'steward', heading: '数据质量' },
    {
      route: '/dashboards/quality/:code',
      path: `/dashboards/quality/${data.important.code}`,
      persona: 'steward',
      heading: `数据质量：${data.important.name}`,
    },
    { route: '/provider/sources', path: '/provider/sources', persona: 'steward', heading: /数据源/ },
    {
      route: '/provider/privacy-budgets',
      path: '/provider/privacy-budgets',
      persona: 'steward',
      heading: '隐私预算',
    },
    {
      route: '/provider/resources',
      path: '/provider/resources',
      persona: 'steward',
      heading: /资源/,
      dialog: (page) => page.getByTestId('resource-create').click(),
    },
    { route: '/provider/import', path: '/provider/import', persona: 'steward', heading: /导入/ },
    {
      route: '/provider/reviews',
      path: '/provider/reviews',
      persona: 'steward',
      heading: /审批/,
      dialog: (page) => page.getByRole('button', { name: `审批 ${data.important.name}` }).click(),
    },
    {
      route: '/provider/release-reviews',
      path: '/provider/release-reviews',
      persona: 'steward',
      heading: '沙箱结果发布审核',
    },
    {
      route: '/provider/catalog-review',
      path: '/provider/catalog-review',
      persona: 'steward',
      heading: '目录审核',
    },
    { route: '/provider/lineage', path: '/provider/lineage', persona: 'steward', heading: /去向/ },
    { route: '/security/policies', path: '/security/policies', persona: 'officer', heading: /策略/ },
    { route: '/security/grants', path: '/security/grants', persona: 'officer', heading: /授权/ },
    { route: '/security/warning', path: '/security/warning', persona: 'officer', heading: '安全预警中心' },
    { route: '/security/trace', path: '/security/trace', persona: 'officer', heading: '数据溯源追踪' },
    { route: '/audit/log', path: '/audit/log', persona: 'auditor', heading: /审计日志/ },
    { route: '/audit/checkpoints', path: '/audit/checkpoints', persona: 'auditor', heading: /检查点/ },
  ];
  return {
    ...data,
    credentials: { admin: server.admin, ...PEOPLE, officer: OFFICER },
    routes,
  };
}

/** Every path of web/src/routes.tsx, read from its source, to check that the list above covers them. */
export function declaredRoutes(source: string): string[] {
  return [...source.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1]!).filter((p) => p !== '/');
}
