import { apiSession } from './api.js';
import type { RunningServer } from './server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './sharing-fixture.js';

/** The provider's security officer (安全管理员), the second reviewer of 重要数据. */
export const OFFICER = { username: 'mz-officer', password: 'officer-password-1' };

export interface ReviewFixture extends SharingFixture {
  important: { code: string; name: string };
}

/**
 * The sharing fixture, plus a security officer at the provider and a 有条件共享 resource graded
 * 重要数据 (two review steps: the steward, then the officer) over the 低保 list, and the
 * analyst's request for all four of its items, filed through the API.
 */
export async function buildReviewFixture(server: RunningServer): Promise<ReviewFixture> {
  const base = await buildSharingFixture(server);
  const admin = await apiSession(server.url, server.admin.username, server.admin.password);
  await admin('POST', '/api/v1/users', {
    orgId: base.providerId,
    displayName: '吴安全',
    roles: ['security_officer'],
    mustChangePassword: false,
    ...OFFICER,
  });
  const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
  const important = await steward<{ code: string; name: string }>('POST', '/api/v1/resources', {
    classificationCode: '101001',
    format: 'CSV',
    sharingMethods: ['api', 'file'],
    updateCycle: 'monthly',
    name: '困难群众救助明细（重要数据）',
    summary: '城乡低保对象的救助明细，按重要数据管理。',
    grade: 'important',
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
  const schema = await steward<{ tables: { name: string }[] }>(
    'GET',
    `/api/v1/sources/${base.recipientsSourceId}/schema`,
  );
  await steward('PUT', `/api/v1/resources/${important.code}/binding`, {
    sourceId: base.recipientsSourceId,
    from: { kind: 'table', table: schema.tables[0]!.name },
  });
  await steward('POST', `/api/v1/resources/${important.code}/publish`);
  const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
  await analyst('POST', '/api/v1/access-requests', {
    applicationId: base.applicationId,
    resourceCode: important.code,
    items: ['姓名', '身份证号', '区划代码', '保障金额'],
    purpose: '医疗救助对象资格核对',
    legalBasis: '《社会救助暂行办法》第二十八条',
    validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    expectedCallsPerDay: 100,
    expectedRowsPerDay: 10_000,
  });
  return { ...base, important };
}
