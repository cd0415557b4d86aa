import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { focusLandsOn, hasFocus, tabTo } from './support/keyboard.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { expectNoConsoleErrors, settled, signOut } from './support/ui.js';

// Keyboard only (Tab, Shift+Tab, Enter, Space, arrows and typing; no click): signing in,
// searching the catalog, applying for a resource and approving the request. After each step the
// page has settled where it should and the focus is where a keyboard user needs it.
describe.skipIf(!browserAvailable())('browser: keyboard-only journeys', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildSharingFixture(server);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-keyboard-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  /** Signs in with the keyboard alone; the console opens with the focus on its heading. */
  const signInByKeyboard = async (who: { username: string; password: string }) => {
    const { page } = b;
    await page.goto('/login');
    await settled(page, { path: '/login', landmark: '登录' });
    await tabTo(page, page.getByLabel('用户名'));
    await page.keyboard.type(who.username);
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByLabel('密码', { exact: true }))).toBe(true);
    await page.keyboard.type(who.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/home', { timeout: 45_000 });
    await settled(page, { path: '/home', landmark: /欢迎/ });
    await focusLandsOn(page, page.locator('#main h1'));
  };

  it('signs in with the keyboard: the skip link leads to the content, the focus lands on the heading', async () => {
    const { page } = b;
    await signInByKeyboard(PEOPLE.analyst);
    expect(await page.title()).toBe('首页 - 汇通');
    // On a page loaded afresh, the first Tab reaches the skip link, which takes the focus past the menu.
    await page.reload();
    await settled(page, { path: '/home', landmark: /欢迎/ });
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: '跳到主要内容' });
    expect(await hasFocus(skip)).toBe(true);
    await page.keyboard.press('Enter');
    await focusLandsOn(page, page.locator('#main'));
  }, 150_000);

  it('searches the shared catalog and opens a resource: focus on the results, then on its title', async () => {
    const { page } = b;
    await page.goto('/workbench/catalog');
    await settled(page, { path: '/workbench/catalog', landmark: (p) => p.locator('#main h1') });
    await tabTo(
      page,
      page.getByRole('searchbox').or(page.locator('input[aria-label^="输入关键词"]')).first(),
    );
    await page.keyboard.type('低保');
    await page.keyboard.press('Enter');
    await settled(page, {
      path: /^\/workbench\/catalog\?q=/,
      landmark: (p) => p.getByTestId('results-heading'),
    });
    await focusLandsOn(page, page.getByTestId('results-heading'));
    expect(await page.getByTestId('results-heading').textContent()).toMatch(/1/);
    const link = page.getByRole('link', { name: data.conditional.name });
    await tabTo(page, link);
    await page.keyboard.press('Enter');
    await settled(page, {
      path: `/portal/resources/${data.conditional.code}`,
      landmark: (p) => p.locator('h1', { hasText: data.conditional.name }),
    });
    await focusLandsOn(page, page.locator('#main h1', { hasText: data.conditional.name }));
    expect(await page.title()).toBe(`${data.conditional.name} - 汇通`);
  }, 150_000);

  it('applies for the resource with the keyboard; closing the form returns the focus to its button', async () => {
    const { page } = b;
    const open = page.getByTestId('apply-open');
    await tabTo(page, open);
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await drawer.waitFor();
    await focusLandsOn(page, page.locator('.ant-drawer-open'));
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await focusLandsOn(page, open);

    await page.keyboard.press('Space');
    await drawer.waitFor();
    await tabTo(page, drawer.getByLabel('使用的应用系统'));
    await page.keyboard.press('ArrowDown');
    await page.locator('.ant-select-dropdown:visible').waitFor();
    await page.keyboard.press('Enter');
    await drawer.locator('.ant-select-content[title="医疗救助审核系统"]').waitFor();
    for (const item of ['区划代码', '保障金额']) {
      await tabTo(page, drawer.getByRole('checkbox', { name: new RegExp(item) }));
      await page.keyboard.press('Space');
    }
    await tabTo(page, drawer.getByLabel('使用用途'));
    await page.keyboard.type('医疗救助对象资格核对');
    await tabTo(page, drawer.getByLabel('申请依据'));
    await page.keyboard.type('《社会救助暂行办法》第二十八条');
    await b.screenshot('kb-apply-form');
    await tabTo(page, drawer.getByTestId('apply-submit'), { back: true, max: 80 });
    await page.keyboard.press('Enter');
    await page.waitForURL('**/workbench/requests');
    await settled(page, { path: '/workbench/requests', landmark: /我的申请/ });
    await focusLandsOn(page, page.locator('#main h1'));
    await page.getByRole('row', { name: new RegExp(data.conditional.name) }).waitFor();
    await signOut(page);
  }, 150_000);

  it('approves the request with the keyboard', async () => {
    const { page } = b;
    await signInByKeyboard(PEOPLE.steward);
    await page.goto('/provider/reviews');
    await settled(page, { path: '/provider/reviews', landmark: /申请审批/ });
    const open = page.getByRole('button', { name: `审批 ${data.conditional.name}` });
    await tabTo(page, open, { max: 80 });
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('tab', { name: '同意（可部分）' }).waitFor();
    await focusLandsOn(page, page.locator('.ant-drawer-open'));
    await tabTo(page, drawer.getByTestId('approve-submit'), { max: 120 });
    await page.keyboard.press('Enter');
    await page
      .getByText(/已同意/)
      .first()
      .waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await settled(page, { path: '/provider/reviews', landmark: /申请审批/ });
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    const grants = await analyst<{ items: { resourceCode: string; status: string }[] }>(
      'GET',
      '/api/v1/grants?side=consumer',
    );
    expect(grants.items.find((g) => g.resourceCode === data.conditional.code)?.status).toBe('active');
  }, 150_000);

  it('logged no console errors', () => {
    expectNoConsoleErrors(b.errors);
  });
});
