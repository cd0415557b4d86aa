import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

const STEWARD = { username: 'zr-steward', password: 'steward-password-1' };
const REVIEWER = { username: 'plat-reviewer', password: 'reviewer-password-1' };
const NAME = '全省地名地址信息';
const OLD = '全省标准地名及门牌地址';
const NEW = '全省标准地名、门牌地址及其空间坐标';

// Catalog review (目录审核, docs/catalog.md): a steward changes a published entry in the console,
// the entry waits (待审核) while the catalog still shows the published version, a catalog reviewer
// reads the change field by field and approves it, and the catalog then shows the change.
describe.skipIf(!browserAvailable())('browser: catalog review', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let code: string;

  beforeAll(async () => {
    server = await startServer({ HUITONG_CATALOG_REVIEW: 'required' });
    const admin = await apiSession(server.url, server.admin.username, server.admin.password);
    const me = await admin<{ organization: { id: string } }>('GET', '/api/v1/auth/me');
    const provider = await admin<{ id: string }>('POST', '/api/v1/organizations', {
      name: '福建省自然资源厅',
      kind: 'department',
      level: 'provincial',
      regionCode: '350000',
    });
    const user = (orgId: string, who: typeof STEWARD, displayName: string, roles: string[]) =>
      admin('POST', '/api/v1/users', { orgId, displayName, roles, mustChangePassword: false, ...who });
    await user(provider.id, STEWARD, '洪管理', ['data_steward']);
    await user(me.organization.id, REVIEWER, '李审核', ['catalog_reviewer']);
    // The entry's first publication goes through review too (approved here through the API).
    const steward = await apiSession(server.url, STEWARD.username, STEWARD.password);
    const reviewer = await apiSession(server.url, REVIEWER.username, REVIEWER.password);
    const draft = await steward<{ code: string }>('POST', '/api/v1/resources', {
      name: NAME,
      classificationCode: '101001',
      summary: OLD,
      format: 'CSV',
      items: [{ name: '地名', field: 'dm', dataType: 'string' }],
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      openType: 'unconditional',
      updateCycle: 'monthly',
    });
    code = draft.code;
    const change = await steward<{ id: string; status: string }>('POST', `/api/v1/resources/${code}/publish`);
    expect(change.status).toBe('pending');
    await reviewer('POST', `/api/v1/catalog/changes/${change.id}/approve`, {});
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-catalog-review-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('holds a steward’s change for the reviewer, who approves it from the diff; the catalog then shows it', async () => {
    const { page } = b;
    await signIn(page, STEWARD.username, STEWARD.password);
    await visit(page, '/provider/resources', /资源/);
    await page.getByRole('button', { name: `编辑 ${NAME}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('摘要').fill(NEW);
    await drawer.getByTestId('resource-save').click();
    await page.getByText('已提交目录审核，审核通过后生效').waitFor();
    await page.getByTestId(`catalog-pending-${code}`).waitFor();
    await b.screenshot('80-catalog-review-steward-pending');
    // The published entry stays as it was until the reviewer decides.
    await visit(page, `/portal/resources/${code}`, NAME);
    await page.getByText(OLD, { exact: true }).waitFor();
    await signOut(page);

    await signIn(page, REVIEWER.username, REVIEWER.password);
    await visit(page, '/provider/catalog-review', '目录审核');
    await page.getByRole('button', { name: `审核 ${NAME}` }).click();
    const review = page.getByRole('dialog');
    const diff = review.getByTestId('catalog-change-diff');
    const row = diff.getByRole('row').filter({ hasText: '摘要' });
    await row.getByText(OLD, { exact: true }).waitFor();
    await row.getByText(NEW, { exact: true }).waitFor();
    expect(await diff.getByRole('row').count()).toBe(2); // the header and the one field changed
    await b.screenshot('81-catalog-review-diff');
    await review.getByTestId('catalog-review-approve').click();
    await page.getByText('已审核通过，资源目录已更新').waitFor();
    await signOut(page);

    await visit(page, `/portal/resources/${code}`, NAME);
    await page.getByText(NEW, { exact: true }).waitFor();
    await b.screenshot('82-catalog-review-approved');
    expectNoConsoleErrors(b.errors);
  }, 240_000);
});
