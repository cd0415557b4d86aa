import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { signInFirstTime } from './support/first-sign-in.js';
import { type RunningServer, startServer } from './support/server.js';
import { cascade, choose, expectNoConsoleErrors, fieldErrors, signIn, signOut } from './support/ui.js';

// The platform administrator registers an organisation and its administrator; that administrator
// registers an application, mints a key (shown once) and revokes it; the language switches.
describe.skipIf(!browserAvailable())('browser: administration journey', () => {
  let server: RunningServer;
  let b: TestBrowser;
  const orgAdmin = { username: 'fz-admin', password: '' };

  beforeAll(async () => {
    server = await startServer();
    b = await openBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the login page to a visitor and refuses a wrong password in Chinese', async () => {
    const { page } = b;
    await page.goto('/login');
    await b.screenshot('01-login');
    await page.getByLabel('用户名').fill(server.admin.username);
    await page.getByLabel('密码', { exact: true }).fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('登录失败');
    b.errors.splice(0); // the refused login's 401 is the point of this step
  }, 150_000);

  it('lets the platform administrator register an organisation, validating the form', async () => {
    const { page } = b;
    await signIn(page, server.admin.username, server.admin.password);
    await b.screenshot('02-home-platform-admin');
    await page.goto('/admin/organizations');
    await page.getByTestId('org-create').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('单位名称').fill('福州市大数据管理局');
    await choose(page, '层级', '市级');
    // Validation: no region chosen, and a credit code whose check character is wrong.
    await dialog.getByLabel('统一社会信用代码').fill('91350100M000100Y4X');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    expect(await fieldErrors(page, 'organization', 'regionCode')).toContain('请选择行政区划');
    expect(await fieldErrors(page, 'organization', 'creditCode')).toContain('校验位不正确');
    await b.screenshot('03-organization-form-errors');
    await dialog.getByLabel('统一社会信用代码').fill('');
    await cascade(page, '行政区划', ['福建省', '福州市']);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('row', { name: /福州市大数据管理局/ }).waitFor();
    await expect.poll(() => page.getByRole('tree').textContent()).toContain('市级 (1)');
    await b.screenshot('04-organizations');
  }, 150_000);

  it('shows the platform administrator the monitoring page, charts drawn from /api/v1/admin/metrics', async () => {
    const { page } = b;
    await page.goto('/admin/metrics');
    await page.getByRole('heading', { level: 1, name: '运行监控' }).waitFor();
    await page.getByRole('img', { name: '内存（MiB）' }).locator('canvas').waitFor();
    // The requests this journey made are in the route table, by pattern.
    await page.getByRole('cell', { name: '/api/v1/organizations' }).first().waitFor();
    await b.screenshot('04b-monitoring');
    await page.goto('/admin/organizations');
    await page.getByRole('row', { name: /福州市大数据管理局/ }).waitFor();
  }, 150_000);

  it('lets the platform administrator create the organisation administrator, warning on 三员', async () => {
    const { page } = b;
    await page
      .getByRole('row', { name: /福州市大数据管理局/ })
      .getByRole('link', { name: /查看用户/ })
      .click();
    await page.waitForURL('**/admin/users?org=*');
    await page.getByTestId('user-create').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(orgAdmin.username);
    await dialog.getByLabel('姓名').fill('林主任');
    await dialog.getByRole('button', { name: /生\s*成/ }).click();
    orgAdmin.password = await dialog.getByLabel('初始密码').inputValue();
    expect(orgAdmin.password).toHaveLength(16);
    await dialog.getByRole('checkbox', { name: /系统管理员/ }).check();
    await dialog.getByRole('checkbox', { name: /审计员/ }).check();
    await dialog.getByText('三员冲突').first().waitFor();
    await b.screenshot('05-user-form-conflict');
    await dialog.getByRole('checkbox', { name: /系统管理员/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /审计员/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /单位管理员/ }).check();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('row', { name: new RegExp(orgAdmin.username) }).waitFor();
    await b.screenshot('06-users');
    await signOut(page);
  }, 150_000);

  it('lets the organisation administrator mint an API key, see it once and revoke it', async () => {
    const { page } = b;
    // The password the administrator generated must be changed first (等保), through its form.
    orgAdmin.password = await signInFirstTime(
      page,
      orgAdmin.username,
      orgAdmin.password,
      '林主任的新密码 2026',
      '/workbench/apps',
    );
    await page.goto('/workbench/apps');
    await page.getByTestId('app-create').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('应用名称').fill('不动产登记系统');
    await dialog.getByLabel('用途说明').fill('核验不动产权属');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('row', { name: /不动产登记系统/ }).waitFor();
    await page.getByRole('button', { name: '创建密钥 不动产登记系统' }).click();
    dialog = page.getByRole('dialog', { name: '创建密钥' });
    await dialog.getByLabel('密钥名称').fill('生产环境');
    await dialog.getByRole('button', { name: /新\s*建/ }).click();
    const once = page.getByRole('dialog', { name: '请立即保存 API 密钥' });
    const key = await once.getByTestId('key-once-value').inputValue();
    expect(key).toMatch(/^ht_[0-9a-f]{12}_/);
    expect(await once.getByTestId('key-once-close').isDisabled()).toBe(true);
    await b.screenshot('07-key-shown-once');
    await once.getByTestId('key-once-ack').check();
    await once.getByTestId('key-once-close').click();
    await once.waitFor({ state: 'hidden' });
    // The key works against the API once, and never appears on the page again.
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    const row = page.getByTestId('keys-table').getByRole('row', { name: /生产环境/ });
    await row.getByText('有效').waitFor();
    expect(await page.content()).not.toContain(key);
    await b.screenshot('08-applications');
    await row.getByRole('button', { name: /吊销/ }).click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await row.getByText('已吊销').waitFor();
    const after = await fetch(`${server.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(after.status).toBe(401);
  }, 150_000);

  it('switches the whole console to English and back', async () => {
    const { page } = b;
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'Applications and API keys' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await b.screenshot('09-applications-en');
    await page.goto('/home');
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: /欢迎/ }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  }, 150_000);

  it('logged no console errors on any page', () => {
    expectNoConsoleErrors(b.errors);
  });
});
