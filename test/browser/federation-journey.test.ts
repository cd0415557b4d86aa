import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { joinAsProvince, makeRoot } from './support/federation-nodes.js';
import { type RunningServer, startServer } from './support/server.js';
import { dialogStill, expectNoConsoleErrors, signIn, visit } from './support/ui.js';

// Issue 17, item 7 in the console: the federation page. Two real platform processes: the root
// (国家节点), made so with `huitong federation init`, and a province that joins it with
// `huitong federation join` and a token the root's administrator issued in the console. The
// administrator sees the join request, approves it (the configuration moves to version 2 and
// the province holds it at its next fetch), then suspends the province (version 3).
describe.skipIf(!browserAvailable())('browser: the federation page', () => {
  let root: RunningServer;
  let member: RunningServer;
  let b: TestBrowser;
  let m: TestBrowser | undefined;

  beforeAll(async () => {
    const settings = { HUITONG_FEDERATION_REFRESH_SECONDS: '1' };
    [root, member] = await Promise.all([startServer(settings), startServer(settings)]);
    await makeRoot(root);
    b = await openBrowser(root.url, undefined, { bypassCSP: true });
  }, 300_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-federation-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await m?.close();
    await b?.close();
    await Promise.all([member?.stop(), root?.stop()]);
  });

  it('issues a join token on the root, shown once', async () => {
    const { page } = b;
    await signIn(page, root.admin.username, root.admin.password);
    await visit(page, '/admin/federation', '联邦节点');
    await page.getByTestId('fed-self').getByText('根节点').waitFor();
    expect(await page.getByTestId('fed-config-version').textContent()).toBe('1');
    await page.getByTestId('fed-config-expiry').getByText('有效').waitFor();
    // The root is its first member; its own status is not the administrator's to change.
    const self = page.getByTestId('fed-members').getByRole('row', { name: /国家节点/ });
    await self.getByText('正常').waitFor();
    expect(await self.getByRole('button').count()).toBe(0);
    await page.getByTestId('fed-token-issue').click();
    const token = ((await page.getByTestId('fed-token').locator('code').textContent()) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);
    // Under load the dialog may still be zooming in: a click then can miss, and the officer would
    // simply click again once it stands still.
    await dialogStill(page);
    await page.getByRole('button', { name: '已保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await joinAsProvince(member, root.url, token);
  }, 180_000);

  it('shows the join request, approves it, and the province holds the new configuration', async () => {
    const { page } = b;
    await visit(page, '/admin/federation', '联邦节点');
    const request = page.getByTestId('fed-members').getByRole('row', { name: /浙江省节点/ });
    await request.getByText('待审批').waitFor();
    await page.getByRole('button', { name: '批准 浙江省节点' }).click();
    await page.getByText('已批准，新配置已发布').waitFor();
    await request.getByText('正常').waitFor();
    await page.getByTestId('fed-config-version').getByText('2', { exact: true }).waitFor();
    const nodes = page.getByTestId('fed-nodes');
    await nodes
      .getByRole('row', { name: /浙江省节点/ })
      .getByText('正常')
      .waitFor();
    // Its parent by name, as the administrator knows it.
    await nodes
      .getByRole('row', { name: /浙江省节点/ })
      .getByText('国家节点')
      .waitFor();
    await b.screenshot('98-federation-root');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page)).toEqual([]);

    // The province, at its next fetch (every second here), holds version 2 and shows it.
    const admin = await apiSession(member.url, member.admin.username, member.admin.password);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const held = await admin<{ config: { version: number } | null }>('GET', '/api/v1/federation/node');
      if (held.config?.version === 2) break;
      if (Date.now() > deadline) throw new Error(`the province holds ${JSON.stringify(held.config)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    m = await openBrowser(member.url, undefined, { bypassCSP: true });
    await signIn(m.page, member.admin.username, member.admin.password);
    await visit(m.page, '/admin/federation', '联邦节点');
    await m.page.getByTestId('fed-self').getByText('成员节点').waitFor();
    await m.page.getByTestId('fed-nodes').getByRole('cell', { name: 'cn-100000', exact: true }).waitFor();
    // A member has no membership to manage.
    expect(await m.page.getByTestId('fed-members-card').count()).toBe(0);
    await m.screenshot('98-federation-member');
    expect(describeFindings(await axeViolations(m.page))).toBe('');
    expectNoConsoleErrors(m.errors);
  }, 120_000);

  it('suspends the province: a new configuration version with the node suspended', async () => {
    const { page } = b;
    await page.getByRole('button', { name: '暂停 浙江省节点' }).click();
    await page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /暂\s*停/ })
      .click();
    await page.getByText('节点状态已变更，新配置已发布').waitFor();
    await page.getByTestId('fed-config-version').getByText('3', { exact: true }).waitFor();
    await page
      .getByTestId('fed-nodes')
      .getByRole('row', { name: /浙江省节点/ })
      .getByText('已暂停')
      .waitFor();
    await page.getByRole('button', { name: '恢复 浙江省节点' }).waitFor();
    expectNoConsoleErrors(b.errors);
  }, 60_000);
});
