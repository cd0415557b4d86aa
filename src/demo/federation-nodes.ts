import type { Role } from '../identity/index.js';

/** One node of the three-node demo federation: its identity, folder and default port. */
export interface FederationDemoNode {
  key: 'national' | 'fujian' | 'zhejiang';
  nodeId: string;
  regionCode: string;
  name: string;
  level: 'national' | 'provincial';
  /** Its data directory under the demo's base directory. */
  dir: string;
  port: number;
  /** The node it reports to (null: the root). */
  parent: string | null;
}

/** The national node (root), 福建 (the demo province) and 浙江, as issue 17 item 8 sets them. */
export const FEDERATION_NODES: readonly FederationDemoNode[] = [
  {
    key: 'national',
    nodeId: 'cn-100000',
    regionCode: '100000',
    name: '国家节点',
    level: 'national',
    dir: 'national-100000',
    port: 8040,
    parent: null,
  },
  {
    key: 'fujian',
    nodeId: 'fj-350000',
    regionCode: '350000',
    name: '福建省节点',
    level: 'provincial',
    dir: 'fujian-350000',
    port: 8041,
    parent: 'cn-100000',
  },
  {
    key: 'zhejiang',
    nodeId: 'zj-330000',
    regionCode: '330000',
    name: '浙江省节点',
    level: 'provincial',
    dir: 'zhejiang-330000',
    port: 8042,
    parent: 'cn-100000',
  },
];

/** The federation's name, as the root signs it into the configuration. */
export const FEDERATION_NAME = '全国一体化政务数据共享（演示）';

/** A demo account of the national or 浙江 node (福建 has the whole demo province's accounts). */
export interface FederationDemoAccount {
  node: 'national' | 'zhejiang';
  username: string;
  displayName: string;
  roles: Role[];
  /** Its organisation: the node's platform organisation, or 浙江省市场监督管理局. */
  org: 'platform' | 'zjscjg';
  purpose: string;
}

/** The accounts the federation demo adds (password: the demo's, DEMO_PASSWORD). */
export const FEDERATION_ACCOUNTS: readonly FederationDemoAccount[] = [
  {
    node: 'national',
    username: 'gj.admin',
    displayName: '国家节点管理员',
    roles: ['platform_admin'],
    org: 'platform',
    purpose: '系统管理员 of the root: join tokens, approvals, the federation page',
  },
  {
    node: 'national',
    username: 'gj.auditor',
    displayName: '国家节点审计员',
    roles: ['auditor'],
    org: 'platform',
    purpose: '审计员 of the root',
  },
  {
    node: 'zhejiang',
    username: 'zj.admin',
    displayName: '浙江节点管理员',
    roles: ['platform_admin'],
    org: 'platform',
    purpose: '系统管理员 of the 浙江 node',
  },
  {
    node: 'zhejiang',
    username: 'zj.auditor',
    displayName: '浙江节点审计员',
    roles: ['auditor'],
    org: 'platform',
    purpose: '审计员 of the 浙江 node: federation.receipt entries',
  },
  {
    node: 'zhejiang',
    username: 'zjscjg.admin',
    displayName: '浙江省市场监管局单位管理员',
    roles: ['org_admin'],
    org: 'zjscjg',
    purpose: '单位管理员 of 浙江省市场监督管理局: its application and API keys',
  },
];

/** The 浙江 organisation that reads 福建's data, and its application. */
export const ZHEJIANG_MARKET = {
  name: '浙江省市场监督管理局',
  application: '浙江省企业信用监管系统',
  applicationDescription: '跨省核验外省企业的登记信息（演示：huitong demo --federation）',
};

/** The platform organisations of the national and 浙江 nodes. */
export const PLATFORM_ORGS = {
  national: { name: '国家数据局（国家节点运营）', level: 'national', regionCode: '110000' },
  zhejiang: { name: '浙江省大数据发展管理局', level: 'provincial', regionCode: '330000' },
} as const;
