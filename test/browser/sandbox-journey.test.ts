import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// 可用不可见 in the console: the analyst's SQL over a sandbox grant shows the check report, an
// answer that fails the checks waits in 我的发布审核, the provider's steward reviews it (query,
// held rows, report) and approves, and the analyst then reads it into the workbench.
describe.skipIf(!browserAvailable())('browser: the sandbox mode and its release review', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildSharingFixture(server);
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
    const request = await analyst<{ id: string }>('POST', '/api/v1/access-requests', {
      applicationId: data.applicationId,
      resourceCode: data.conditional.code,
      items: ['姓名', '身份证号', '区划代码', '保障金额'],
      purpose: '低保资金分布分析',
      legalBasis: '《社会救助暂行办法》',
      use: 'sandbox',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await steward('POST', `/api/v1/access-requests/${request.id}/approve`, {
      items: ['姓名', '身份证号', '区划代码', '保障金额'].map((name) => ({ name, mask: { kind: 'none' } })),
    });
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-sandbox-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  const run = async (sql: string) => {
    const { page } = b;
    await page.getByTestId('sql-editor').fill(sql);
    // Ctrl+Enter runs the query from the editor, whatever completion list is open over the button.
    await page.getByTestId('sql-editor').press('Control+Enter');
  };

  it('shows the analyst the check report: tiny groups suppressed, a max held for review with no row', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/sql', 'SQL 工作台');
    await run(`SELECT qh, count(*) AS n, avg(je) AS mean FROM "${data.conditional.code}" GROUP BY qh`);
    const report = page.getByTestId('check-report');
    await report.getByText('已通过检查并发布').waitFor();
    // Six recipients in four districts: every group is under k = 10, so none leaves.
    await report.getByText('已抑制 4 行（不足 k 行或为防差分而连带抑制）').waitFor();
    // Each check explains itself in Chinese (from the reasons' codes), not in the API's English.
    await report
      .getByText(
        '不足 10 条源记录的行已抑制 4 行；为防与更粗的分组相减推出不足 10 条记录的结果，另连带抑制 0 行',
      )
      .waitFor();
    await report.getByText('没有哪个 WHERE 条件只改变某一分组中的 1 至 9 行').waitFor();
    expect(await latinRuns(page, [], report)).toEqual([]);
    await page.getByTestId('sql-count').filter({ hasText: '0 行' }).waitFor();
    await b.screenshot('60-sandbox-suppressed');
    await run(`SELECT max(je) AS top FROM "${data.conditional.code}"`);
    await report.getByText(/未通过检查，已提交提供方数据管理员审核/).waitFor();
    await report.getByText('查询结构可检查').waitFor();
    await report.getByText('max() 的结果可能就是某一行的取值').waitFor();
    const reviewNumber = String(await report.getByText(/审核编号/).textContent())
      .replace('审核编号', '')
      .trim();
    expect(await latinRuns(page, [reviewNumber], report)).toEqual([]);
    if ((await page.getByText('张伟').count()) > 0) throw new Error('a held answer showed a name');
    await page.getByTestId('my-reviews').getByText('待审核').waitFor();
    await b.screenshot('61-sandbox-held');
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('lets the steward read the held answer and approve it; the analyst then reads it', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/release-reviews', '沙箱结果发布审核');
    const queue = page.getByTestId('release-reviews');
    await queue.getByText('max(je)', { exact: false }).waitFor();
    await queue.getByRole('button', { name: '审核' }).first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('900', { exact: true }).waitFor();
    await drawer.getByTestId('check-report').getByText('max() 的结果可能就是某一行的取值').waitFor();
    await drawer.getByTestId('review-reason').fill('最高保障金额为公开标准，可发布');
    await b.screenshot('62-release-review-steward');
    await drawer.getByTestId('review-approve').click();
    await page.getByText('已批准发布，申请方现在可以读取结果').waitFor();
    await signOut(page);

    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/sql', 'SQL 工作台');
    const mine = page.getByTestId('my-reviews');
    await mine.getByText('已批准发布').waitFor();
    await mine.getByRole('button', { name: '读取结果' }).click();
    await page.getByRole('table', { name: '结果' }).getByText('900', { exact: true }).waitFor();
    await b.screenshot('63-sandbox-approved');
    expectNoConsoleErrors(b.errors);
  }, 150_000);
});
