import {
  AuditOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  GlobalOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../api/identity.js';
import type { MessageKey } from '../i18n/index.js';

export interface MenuLeaf {
  path: string;
  label: MessageKey;
  /** Who sees it; empty means everyone signed in. */
  roles: Role[];
}

export interface MenuGroup {
  key: string;
  label: MessageKey;
  icon: ReactNode;
  children: MenuLeaf[];
}

const CONSUMERS: Role[] = ['analyst', 'data_steward', 'org_admin'];

// The side menu by persona: each screen is listed for the roles whose API calls it can make.
export const MENU: MenuGroup[] = [
  {
    key: 'home',
    label: 'menu.home',
    icon: <HomeOutlined aria-hidden />,
    children: [{ path: '/home', label: 'menu.home', roles: [] }],
  },
  {
    key: 'portal',
    label: 'menu.portal',
    icon: <GlobalOutlined aria-hidden />,
    children: [
      { path: '/portal', label: 'menu.portal.search', roles: [] },
      { path: '/portal/stats', label: 'menu.portal.stats', roles: [] },
    ],
  },
  {
    key: 'workbench',
    label: 'menu.workbench',
    icon: <ToolOutlined aria-hidden />,
    children: [
      { path: '/workbench/catalog', label: 'menu.workbench.catalog', roles: ['analyst', 'data_steward'] },
      { path: '/workbench/requests', label: 'menu.workbench.requests', roles: ['analyst', 'data_steward'] },
      // 跨节点申请: requests to other nodes of the federation (the page says so on a node outside one).
      {
        path: '/workbench/remote-requests',
        label: 'menu.workbench.remoteRequests',
        roles: ['analyst', 'data_steward'],
      },
      { path: '/workbench/grants', label: 'menu.workbench.grants', roles: ['analyst', 'data_steward'] },
      { path: '/workbench/sql', label: 'menu.workbench.sql', roles: ['analyst', 'data_steward'] },
      {
        path: '/workbench/statistics',
        label: 'menu.workbench.statistics',
        roles: ['analyst', 'data_steward'],
      },
      { path: '/workbench/usage', label: 'menu.workbench.usage', roles: ['analyst', 'data_steward'] },
      {
        path: '/workbench/objections',
        label: 'menu.workbench.objections',
        roles: ['analyst', 'data_steward'],
      },
      { path: '/workbench/apps', label: 'menu.workbench.apps', roles: CONSUMERS },
      // 数据订阅: analysts follow the organisation's subscriptions, its administrators operate them.
      {
        path: '/workbench/subscriptions',
        label: 'menu.workbench.subscriptions',
        roles: ['analyst', 'org_admin'],
      },
      // 需求清单: the platform's public list of needs; everyone signed in reads it (docs/governance.md).
      { path: '/workbench/demands', label: 'menu.workbench.demands', roles: [] },
    ],
  },
  {
    key: 'provider',
    label: 'menu.provider',
    icon: <DatabaseOutlined aria-hidden />,
    children: [
      { path: '/provider/sources', label: 'menu.provider.sources', roles: ['data_steward'] },
      { path: '/provider/resources', label: 'menu.provider.resources', roles: ['data_steward'] },
      { path: '/provider/import', label: 'menu.provider.import', roles: ['data_steward'] },
      {
        path: '/provider/reviews',
        label: 'menu.provider.reviews',
        roles: ['data_steward', 'security_officer'],
      },
      { path: '/provider/release-reviews', label: 'menu.provider.releaseReviews', roles: ['data_steward'] },
      {
        path: '/provider/catalog-review',
        label: 'menu.provider.catalogReview',
        roles: ['catalog_reviewer', 'data_steward', 'org_admin'],
      },
      { path: '/provider/lineage', label: 'menu.provider.lineage', roles: ['data_steward', 'org_admin'] },
      { path: '/provider/privacy-budgets', label: 'menu.provider.budgets', roles: ['data_steward'] },
      { path: '/provider/objections', label: 'menu.provider.objections', roles: ['data_steward'] },
    ],
  },
  {
    key: 'admin',
    label: 'menu.admin',
    icon: <SettingOutlined aria-hidden />,
    children: [
      {
        path: '/admin/organizations',
        label: 'menu.admin.organizations',
        roles: ['platform_admin', 'org_admin'],
      },
      { path: '/admin/users', label: 'menu.admin.users', roles: ['platform_admin', 'org_admin'] },
      { path: '/admin/roles', label: 'menu.admin.roles', roles: ['platform_admin', 'org_admin'] },
      { path: '/admin/metrics', label: 'menu.admin.metrics', roles: ['platform_admin'] },
      { path: '/admin/calendar', label: 'menu.admin.calendar', roles: ['platform_admin'] },
      { path: '/admin/capture', label: 'menu.admin.capture', roles: ['platform_admin'] },
      { path: '/admin/federation', label: 'menu.admin.federation', roles: ['platform_admin', 'auditor'] },
    ],
  },
  {
    key: 'security',
    label: 'menu.security',
    icon: <SafetyCertificateOutlined aria-hidden />,
    children: [
      { path: '/security/policies', label: 'menu.security.policies', roles: ['security_officer'] },
      { path: '/security/grants', label: 'menu.security.grants', roles: ['security_officer'] },
      { path: '/security/warning', label: 'menu.security.warning', roles: ['security_officer', 'auditor'] },
      { path: '/security/trace', label: 'menu.security.trace', roles: ['security_officer'] },
    ],
  },
  {
    key: 'audit',
    label: 'menu.audit',
    icon: <AuditOutlined aria-hidden />,
    children: [
      { path: '/audit/log', label: 'menu.audit.log', roles: ['auditor', 'org_admin'] },
      { path: '/audit/checkpoints', label: 'menu.audit.checkpoints', roles: ['auditor'] },
    ],
  },
  {
    key: 'dashboards',
    label: 'menu.dashboards',
    icon: <DashboardOutlined aria-hidden />,
    children: [
      { path: '/dashboards/overview', label: 'menu.dashboards.overview', roles: [] },
      {
        path: '/dashboards/deadlines',
        label: 'menu.dashboards.deadlines',
        roles: ['platform_admin', 'auditor', 'org_admin', 'security_officer'],
      },
      {
        path: '/dashboards/assessments',
        label: 'menu.dashboards.assessments',
        roles: ['platform_admin', 'auditor', 'org_admin', 'security_officer'],
      },
      { path: '/dashboards/quality', label: 'menu.dashboards.quality', roles: [] },
    ],
  },
];

/** The groups and leaves a caller with these roles may open. */
export function visibleMenu(roles: readonly Role[]): MenuGroup[] {
  return MENU.map((group) => ({
    ...group,
    children: group.children.filter(
      (leaf) => leaf.roles.length === 0 || leaf.roles.some((r) => roles.includes(r)),
    ),
  })).filter((group) => group.children.length > 0);
}

/** The roles a path requires, from the menu (undefined for paths outside it). */
export function rolesForPath(path: string): Role[] | undefined {
  for (const group of MENU) {
    for (const leaf of group.children)
      if (path === leaf.path || path.startsWith(`${leaf.path}/`)) return leaf.roles;
  }
  return undefined;
}
