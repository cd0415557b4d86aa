import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// 可用不可见 with noise in the console: the provider's steward switches on 结果加噪 when approving a
// sandbox request (ε per aggregate and the budget), the request shows it, and the analyst's SQL
// workbench reports the answer noised with the ε it spent and what is left.
describe.skipIf(!browserAvailable())('browser: noised sandbox answers', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildSharingFixture(server);
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await analyst('POST', '/api/v1/access-requests', {
      applicationId: data.applicationId,
      resourceCode: data.conditional.code,
      items: ['区划代码', '保障金额'],
      purpose: '低保资金分布分析（加噪）',
      legalBasis: '《社会救助暂行办法》',
      use: 'sandbox',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-noise-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('lets the steward noise the answers when approving, and the analyst see ε spent and left', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/reviews', '申请审批');
    await page.getByTestId('review-open').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('noise-switch').click();
    await drawer.getByLabel('每个聚合列的 ε').fill('0.5');
    await drawer.getByLabel('每日 ε 上限').fill('2');
    await drawer.getByLabel('总 ε 上限').fill('5');
    await b.screenshot('64-sandbox-noise-approve');
    await drawer.getByTestId('approve-submit').click();
    await page.getByText('已同意，授权已生效').waitFor();
    await signOut(page);

    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    // The request's details show the agreed noise and budget.
    await visit(page, '/workbench/requests', '我的申请');
    // The list arrives after the heading (one fetch, every row at once): wait for a row before
    // taking them all, or a slow machine takes none and nothing is expanded.
    const expanders = page.getByRole('button', { name: /展开行|Expand row/ });
    await expanders.first().waitFor();
    for (const row of await expanders.all()) await row.click();
    await page.getByText('每个聚合列 ε 0.5（差分隐私）').waitFor();
    await page.getByText('每日 ε 2，总计 ε 5').waitFor();
    await visit(page, '/workbench/sql', 'SQL 工作台');
    await page.getByTestId('sql-editor').fill(`SELECT count(*) AS n FROM "${data.conditional.code}"`);
    await page.getByTestId('sql-editor').press('Control+Enter');
    const noise = page.getByTestId('noise-report');
    await noise.getByText('已加噪（差分隐私，离散拉普拉斯机制）').waitFor();
    await noise.getByText('每个聚合列 ε 0.5，本次消耗 ε 0.5；今日剩余 ε 1.5，总剩余 ε 4.5').waitFor();
    await noise.getByText('n（计数）：± 2.828').waitFor();
    await b.screenshot('65-sandbox-noise-report');
    expect(await page.getByText('张伟').count()).toBe(0);
    expectNoConsoleErrors(b.errors);
  }, 150_000);
});
