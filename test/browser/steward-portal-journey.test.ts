import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, fieldErrors, signIn, signOut } from './support/ui.js';

// A data steward catalogues and publishes a resource; a visitor finds it on the open-data portal;
// an official opens the dashboard.
describe.skipIf(!browserAvailable())('browser: steward and portal journey', () => {
  let server: RunningServer;
  let b: TestBrowser;
  const steward = { username: 'energy-steward', password: 'steward-password-1' };

  beforeAll(async () => {
    server = await startServer();
    const admin = await apiSession(server.url, server.admin.username, server.admin.password);
    const org = await admin<{ id: string }>('POST', '/api/v1/organizations', {
      name: '福建省能源局',
      kind: 'department',
      level: 'provincial',
      regionCode: '350000',
    });
    await admin('POST', '/api/v1/users', {
      orgId: org.id,
      displayName: '陈数据',
      roles: ['data_steward'],
      mustChangePassword: false,
      ...steward,
    });
    b = await openBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('lets the steward catalogue a resource, checking the catalog rules, and publish it', async () => {
    const { page } = b;
    await signIn(page, steward.username, steward.password);
    await page.goto('/provider/resources');
    await page.getByTestId('resource-create').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('资源名称').fill('全省重点企业月度用电量');
    await drawer.getByLabel('资源分类').click();
    await page.locator('.ant-select-tree-node-content-wrapper').first().click();
    await drawer.getByLabel('摘要').fill('全省重点用能企业按月统计的用电量，用于经济运行监测。');
    await drawer.getByRole('button', { name: '添加信息项' }).click();
    await drawer.getByLabel('信息项名称 1').fill('统一社会信用代码');
    await drawer.getByLabel('字段名 1').fill('credit_code');
    await drawer.getByRole('button', { name: '添加信息项' }).click();
    await drawer.getByLabel('信息项名称 2').fill('用电量');
    await drawer.getByLabel('字段名 2').fill('kwh');
    // 有条件共享 needs its conditions: the form says so before the server does.
    await drawer.getByTestId('resource-save').click();
    expect(await fieldErrors(page, 'resource', 'sharingConditions')).toContain('共享条件');
    await drawer.getByLabel('共享条件').fill('仅用于经济运行监测，不得向第三方提供');
    await drawer.getByText('无条件开放').click();
    await b.screenshot('10-resource-form');
    await drawer.getByTestId('resource-save').click();
    const row = page.getByRole('row', { name: /全省重点企业月度用电量/ });
    await row.getByText('草稿').waitFor();
    await row.getByRole('button', { name: '发布' }).click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await row.getByText(/已发布/).waitFor();
    await b.screenshot('11-provider-resources');
    await signOut(page);
  }, 150_000);

  it('lets a visitor find it on the portal with facets and read its page', async () => {
    const { page } = b;
    await page.goto('/portal');
    await page.locator('input[aria-label^="输入关键词"]').fill('用电');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: '全省重点企业月度用电量' }).waitFor();
    await page.getByRole('list', { name: '开放类型' }).getByText('无条件开放').waitFor();
    await b.screenshot('12-portal-search');
    await page.getByRole('link', { name: '全省重点企业月度用电量' }).click();
    await page.getByRole('heading', { name: '全省重点企业月度用电量' }).waitFor();
    await b.screenshot('13-portal-resource');
    await page.getByRole('tab', { name: /信息项/ }).click();
    await page.getByRole('cell', { name: 'credit_code' }).waitFor();
    await page.getByRole('tab', { name: /API/ }).click();
    await page.getByRole('link', { name: /CSV/ }).waitFor();
    await page.goto('/portal/stats');
    await page.getByText('已发布资源').waitFor();
    await b.screenshot('14-portal-stats');
  }, 150_000);

  it('shows the dashboard to a signed-in official', async () => {
    const { page } = b;
    await signIn(page, steward.username, steward.password);
    await page.goto('/dashboards/overview');
    await page.getByTestId('dashboard').getByText('目录资源').waitFor();
    await page.waitForTimeout(800); // let the charts' entry animation finish before the picture
    await b.screenshot('15-dashboard');
  }, 150_000);

  it('logged no console errors on any page', () => {
    expectNoConsoleErrors(b.errors);
  });
});
