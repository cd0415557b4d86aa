import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { buildReviewFixture, OFFICER, type ReviewFixture } from './support/review-fixture.js';
import { type RunningServer, startServer } from './support/server.js';
import { PEOPLE } from './support/sharing-fixture.js';
import { choose, expectNoConsoleErrors, settled, signIn, signOut, visit } from './support/ui.js';

interface Grant {
  resourceCode: string;
  items: { name: string; mask: { kind: string } }[];
  rowFilter: { item: string; op: string; values?: unknown[] }[];
  mayExport: boolean;
  status: string;
}

// The two-step review of 重要数据: the data steward approves in part, the security officer sees
// that decision, keeps it, and the grant is exactly it. Every sign-in goes through the form.
describe.skipIf(!browserAvailable())('browser: two-step review journey', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: ReviewFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildReviewFixture(server);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-review-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  const openReview = async (name: string) => {
    const { page } = b;
    await visit(page, '/provider/reviews', '申请审批');
    await page.getByRole('button', { name: `审批 ${name}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('tab', { name: '同意（可部分）' }).waitFor();
    return drawer;
  };

  it('lets the steward see who asks and approve in part: an item dropped, a mask, a row filter, export', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    const drawer = await openReview(data.important.name);
    const applicant = drawer.getByTestId('applicant');
    for (const text of ['福州市医疗保障局', '黄分析', '医疗救助审核系统'])
      await applicant.getByText(text).waitFor();
    await drawer.getByLabel('同意 身份证号').uncheck();
    await choose(page, '脱敏方式 姓名', '遮盖 (***)');
    await drawer.getByTestId('filter-add').click();
    await choose(page, '信息项 1', '区划代码');
    await choose(page, '条件 1', '属于');
    await drawer.getByLabel('值 1').fill('350102,350103');
    await drawer.getByLabel('可下载文件').click();
    await drawer.getByLabel('审批意见').fill('仅限鼓楼、台江两区');
    await b.screenshot('40-review-steward');
    await drawer.getByTestId('approve-submit').click();
    await page.getByText('已同意，转安全管理员审批').waitFor();
    await settled(page, { path: '/provider/reviews', landmark: '申请审批' });
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('starts the security officer from the steward’s decision, and the grant is that decision', async () => {
    const { page } = b;
    await signIn(page, OFFICER.username, OFFICER.password);
    const drawer = await openReview(data.important.name);
    const earlier = drawer.getByTestId('earlier-decision');
    await earlier.getByText(/数据管理员（林管理）已同意/).waitFor();
    for (const change of [
      '不予提供：身份证号',
      '姓名 脱敏方式：遮盖 (***)',
      '允许导出文件',
      '仅限鼓楼、台江两区',
    ]) {
      await earlier.getByText(change).waitFor();
    }
    await earlier.getByText(/行过滤：区划代码 ∈ \{350102, 350103\}/).waitFor();
    // The form holds the steward's decision: three items, the mask kept, the filter, export on.
    expect(await drawer.getByLabel(/^同意 /).count()).toBe(3);
    await expect.poll(() => drawer.getByLabel('同意 身份证号').count()).toBe(0);
    await drawer.getByText('保持前一环节：遮盖 (***)').waitFor();
    await drawer.getByTestId('earlier-filter').getByText('区划代码 ∈ {350102, 350103}').waitFor();
    expect(await drawer.getByLabel('可下载文件').getAttribute('aria-checked')).toBe('true');
    await b.screenshot('41-review-officer');
    await drawer.getByTestId('approve-submit').click();
    await page.getByText('已同意，授权已生效').waitFor();
    await settled(page, { path: '/provider/reviews', landmark: '申请审批' });
    expect(await page.locator('.ant-alert-error').count()).toBe(0);

    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    const grants = await analyst<{ items: Grant[] }>('GET', '/api/v1/grants?side=consumer');
    const grant = grants.items.find((g) => g.resourceCode === data.important.code);
    expect(grant).toBeDefined();
    expect(grant!.status).toBe('active');
    expect(grant!.items.map((i) => [i.name, i.mask.kind])).toEqual([
      ['姓名', 'redact'],
      ['区划代码', 'none'],
      ['保障金额', 'none'],
    ]);
    expect(grant!.rowFilter).toHaveLength(1);
    expect(grant!.rowFilter[0]).toMatchObject({ item: '区划代码', op: 'in' });
    expect(grant!.rowFilter[0]!.values!.map(String)).toEqual(['350102', '350103']);
    expect(grant!.mayExport).toBe(true);
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 150_000);
});
