import type { Role } from '../identity/index.js';
import { creditCode } from './identifiers.js';
import { Random } from './random.js';

/** A member organisation of the demo province. */
export interface DemoOrganization {
  key: string;
  name: string;
  kind: 'department' | 'enterprise' | 'platform';
  level: 'provincial' | 'municipal';
  regionCode: string;
  parent?: string;
  creditCode: string;
}

// Government bodies carry 11-codes, enterprises 91-codes; each drawn from its own seed so that
// adding a member never changes another's code.
const code = (key: string, prefix: '11' | '91', region: string) =>
  creditCode(new Random(`org:${key}`), prefix, region);
const dept = (key: string, name: string, region = '350000', parent?: string): DemoOrganization => ({
  key,
  name,
  kind: 'department',
  level: region === '350000' ? 'provincial' : 'municipal',
  regionCode: region,
  parent,
  creditCode: code(key, '11', region),
});

/** The platform operator: 福建省大数据管理局 (the first start's operating centre, renamed). */
export const BUREAU: DemoOrganization = {
  key: 'sjj',
  name: '福建省大数据管理局',
  kind: 'platform',
  level: 'provincial',
  regionCode: '350000',
  creditCode: code('sjj', '11', '350000'),
};

/** Every member but the bureau, parents before children. */
export const ORGANIZATIONS: DemoOrganization[] = [
  dept('gat', '福建省公安厅'),
  dept('scjg', '福建省市场监督管理局'),
  dept('rst', '福建省人力资源和社会保障厅'),
  dept('mzt', '福建省民政厅'),
  dept('zrzy', '福建省自然资源厅'),
  dept('sthj', '福建省生态环境厅'),
  dept('wjw', '福建省卫生健康委员会'),
  dept('jyt', '福建省教育厅'),
  dept('sw', '国家税务总局福建省税务局'),
  dept('fzga', '福州市公安局', '350100', 'gat'),
  dept('fzrs', '福州市人力资源和社会保障局', '350100', 'rst'),
  dept('fzjy', '福州市教育局', '350100', 'jyt'),
  dept('xmsj', '厦门市市场监督管理局', '350200', 'scjg'),
  dept('qzmz', '泉州市民政局', '350500', 'mzt'),
  {
    key: 'sgcc',
    name: '国网福建省电力有限公司',
    kind: 'enterprise',
    level: 'provincial',
    regionCode: '350100',
    creditCode: code('sgcc', '91', '350000'),
  },
  {
    key: 'llwl',
    name: '福建海峡冷链物流有限公司',
    kind: 'enterprise',
    level: 'municipal',
    regionCode: '350206',
    creditCode: code('llwl', '91', '350206'),
  },
  {
    key: 'mxjr',
    name: '福建闽信普惠金融服务有限公司',
    kind: 'enterprise',
    level: 'municipal',
    regionCode: '350102',
    creditCode: code('mxjr', '91', '350102'),
  },
];

/** A demo account: who it is, where, and what it may do. */
export interface DemoAccount {
  username: string;
  displayName: string;
  org: string;
  roles: Role[];
  /** What the account is for in the demo, for the printed list and the README. */
  purpose: string;
}

/** The one password of every demo account (the platform is a demo; change them before real use). */
export const DEMO_PASSWORD = 'Demo@2026!';

const acct = (
  username: string,
  displayName: string,
  org: string,
  roles: Role[],
  purpose: string,
): DemoAccount => ({
  username,
  displayName,
  org,
  roles,
  purpose,
});

/** Users of every role across the members. */
export const ACCOUNTS: DemoAccount[] = [
  acct('sjj.admin', '林振华', 'sjj', ['platform_admin'], '系统管理员: organisations and users'),
  acct('sjj.security', '陈雅琴', 'sjj', ['security_officer'], '安全管理员: policies and alerts'),
  acct('sjj.auditor', '黄文斌', 'sjj', ['auditor'], '审计员: the audit log and its proofs (溯源)'),
  acct('sjj.reviewer', '李明哲', 'sjj', ['catalog_reviewer'], '目录审核员: approves what enters the catalog'),
  acct('sjj.steward', '王海燕', 'sjj', ['data_steward'], '数据管理员: the bureau’s own statistics'),
  acct('sjj.analyst', '郑晓东', 'sjj', ['analyst'], '数据分析员 of the bureau'),
  acct('gat.admin', '吴国强', 'gat', ['org_admin'], '单位管理员 of 公安厅'),
  acct('gat.security', '施雅婷', 'gat', ['security_officer'], '安全管理员: second review of important data'),
  acct('gat.steward', '张丽娟', 'gat', ['data_steward'], '数据管理员: 户籍人口 resources, reviews requests'),
  acct('scjg.steward', '刘建平', 'scjg', ['data_steward'], '数据管理员: 市场主体登记'),
  acct('scjg.analyst', '许志明', 'scjg', ['analyst'], '综合分析风险因素 (shell companies)'),
  acct('rst.steward', '杨秀英', 'rst', ['data_steward'], '数据管理员: 社保参保'),
  acct('rst.security', '孙立群', 'rst', ['security_officer'], '安全管理员: second review of important data'),
  acct('mzt.steward', '蔡美玲', 'mzt', ['data_steward'], '数据管理员: 低保/救助'),
  acct('mzt.analyst', '曾宇航', 'mzt', ['analyst'], '精准扶贫 cross-check of 低保 households'),
  acct('mzt.security', '邱文静', 'mzt', ['security_officer'], '安全管理员: reviews of 低保 data (重要数据)'),
  acct('zrzy.steward', '洪海峰', 'zrzy', ['data_steward'], '数据管理员: 地理, 土地供应'),
  acct('sthj.steward', '邱晓燕', 'sthj', ['data_steward'], '数据管理员: 排污许可'),
  acct('wjw.steward', '廖春梅', 'wjw', ['data_steward'], '数据管理员: 医疗机构'),
  acct('jyt.steward', '赖文华', 'jyt', ['data_steward'], '数据管理员: 学校'),
  acct('sw.steward', '周立新', 'sw', ['data_steward'], '数据管理员: 纳税信息'),
  acct('sw.security', '戴文涛', 'sw', ['security_officer'], '安全管理员: second review of important data'),
  acct('fzga.steward', '徐明辉', 'fzga', ['data_steward'], '数据管理员 of a city bureau'),
  acct('fzrs.admin', '苏丽华', 'fzrs', ['org_admin', 'data_steward'], '单位管理员 and 数据管理员'),
  acct('fzjy.admin', '叶建国', 'fzjy', ['org_admin'], '单位管理员: the enrolment system and its key'),
  acct('fzjy.analyst', '庄静怡', 'fzjy', ['analyst'], '数据多跑路: verifies residence and insurance'),
  acct('xmsj.steward', '江志强', 'xmsj', ['data_steward'], '数据管理员 of a city bureau'),
  acct('qzmz.steward', '何秀兰', 'qzmz', ['data_steward'], '数据管理员 of a city bureau'),
  acct('sgcc.admin', '罗永明', 'sgcc', ['org_admin'], '单位管理员 of the power company'),
  acct('sgcc.steward', '高伟', 'sgcc', ['data_steward'], '数据管理员: 企业用电, approves requests'),
  acct('llwl.analyst', '潘思远', 'llwl', ['analyst'], 'an enterprise consumer; exports data (溯源)'),
  acct('llwl.steward', '朱佳怡', 'llwl', ['data_steward'], 'publishes the enterprise’s own data'),
  acct('mxjr.analyst', '钟子涵', 'mxjr', ['analyst'], 'an enterprise consumer with a pending request'),
];
