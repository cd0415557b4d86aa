import { apiSession } from './api.js';
import type { RunningServer } from './server.js';

/** The people of the sharing journeys; passwords are long enough for the policy. */
export const PEOPLE = {
  steward: { username: 'mz-steward', password: 'steward-password-1' },
  analyst: { username: 'yb-analyst', password: 'analyst-password-1' },
  auditor: { username: 'plat-auditor', password: 'auditor-password-1' },
};

// 低保 recipients by district of Fuzhou (names and ID numbers are made up, check digits valid or not).
const RECIPIENTS = [
  'xm,sfzh,qh,je',
  '张伟,350102198001011234,350102,820',
  '李娜,350102198502021111,350102,760',
  '王芳,350103197903033333,350103,900',
  '刘洋,350103199004044444,350103,650',
  '陈静,350104198806065555,350104,700',
  '杨磊,350105197707076666,350105,880',
].join('\n');
const POPULATION = [
  'qh,qhmc,rk',
  '350102,鼓楼区,687000',
  '350103,台江区,446000',
  '350104,仓山区,987000',
  '350105,马尾区,231000',
].join('\n');

export interface SharingFixture {
  conditional: { code: string; name: string };
  open: { code: string; name: string };
  providerId: string;
  /** The file source of the 低保 list, for binding further resources to it. */
  recipientsSourceId: string;
  applicationId: string;
}

/**
 * Through the public API: a provider (福建省民政厅) with a data steward, two file sources and two
 * published, bound resources (a 有条件共享 list of 低保 recipients and an open population table);
 * a consumer (福州市医疗保障局) with an analyst and an application; a platform auditor.
 */
export async function buildSharingFixture(server: RunningServer): Promise<SharingFixture> {
  const admin = await apiSession(server.url, server.admin.username, server.admin.password);
  const me = await admin<{ organization: { id: string } }>('GET', '/api/v1/auth/me');
  const provider = await admin<{ id: string }>('POST', '/api/v1/organizations', {
    name: '福建省民政厅',
    kind: 'department',
    level: 'provincial',
    regionCode: '350000',
  });
  const consumer = await admin<{ id: string }>('POST', '/api/v1/organizations', {
    name: '福州市医疗保障局',
    kind: 'department',
    level: 'municipal',
    regionCode: '350100',
  });
  const user = (
    orgId: string,
    who: { username: string; password: string },
    displayName: string,
    roles: string[],
  ) => admin('POST', '/api/v1/users', { orgId, displayName, roles, mustChangePassword: false, ...who });
  await user(provider.id, PEOPLE.steward, '林管理', ['data_steward']);
  await user(consumer.id, PEOPLE.analyst, '黄分析', ['analyst']);
  await user(me.organization.id, PEOPLE.auditor, '郑审计', ['auditor']);

  const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
  const upload = (name: string, csv: string) =>
    steward<{ source: { id: string } }>(
      'POST',
      `/api/v1/sources/files?name=${encodeURIComponent(name)}&format=csv`,
      csv,
      'text/csv',
    );
  const recipients = await upload('低保对象台账', RECIPIENTS);
  const population = await upload('区县人口', POPULATION);
  const base = {
    classificationCode: '101001',
    format: 'CSV',
    sharingMethods: ['api', 'file'],
    updateCycle: 'monthly',
  };
  const conditional = await steward<{ code: string; name: string }>('POST', '/api/v1/resources', {
    ...base,
    name: '最低生活保障对象名单',
    summary: '全省城乡低保对象的姓名、身份证号、所在区县与月保障金额。',
    items: [
      { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
      {
        name: '身份证号',
        field: 'sfzh',
        dataType: 'string',
        personal: true,
        personalKind: 'identity_document',
      },
      { name: '区划代码', field: 'qh', dataType: 'string' },
      { name: '保障金额', field: 'je', dataType: 'number' },
    ],
    sharingType: 'conditional',
    sharingConditions: '仅用于医疗救助对象资格核对，不得向第三方提供',
    openType: 'not_open',
  });
  const open = await steward<{ code: string; name: string }>('POST', '/api/v1/resources', {
    ...base,
    name: '福州市各区县常住人口',
    summary: '福州市各区县年末常住人口数。',
    items: [
      { name: '区划代码', field: 'qh', dataType: 'string' },
      { name: '区县名称', field: 'qhmc', dataType: 'string' },
      { name: '常住人口', field: 'rk', dataType: 'number' },
    ],
    sharingType: 'unconditional',
    openType: 'unconditional',
  });
  for (const [resource, source] of [
    [conditional, recipients],
    [open, population],
  ] as const) {
    await steward('PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: source.source.id,
      from: {
        kind: 'table',
        table: (
          await steward<{ tables: { name: string }[] }>('GET', `/api/v1/sources/${source.source.id}/schema`)
        ).tables[0]!.name,
      },
    });
    await steward('POST', `/api/v1/resources/${resource.code}/publish`);
  }
  const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
  const application = await analyst<{ id: string }>('POST', '/api/v1/applications', {
    name: '医疗救助审核系统',
    description: '救助对象资格核对',
  });
  return {
    conditional,
    open,
    providerId: provider.id,
    recipientsSourceId: recipients.source.id,
    applicationId: application.id,
  };
}
