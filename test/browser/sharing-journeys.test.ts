import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import {
  choose,
  expectNoConsoleErrors,
  settled,
  signIn,
  signOut,
  submitAndWaitForURL,
  visit,
} from './support/ui.js';

// The personas' main journeys against a real server: a visitor downloads an open dataset; an
// analyst applies, the steward approves in part, the analyst joins and exports; the auditor
// verifies the log.
describe.skipIf(!browserAvailable())('browser: sharing journeys', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildSharingFixture(server);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    // A failed step leaves its screen behind, to be looked at.
    if (context.task.result?.state === 'fail') await b?.screenshot(`fail-${context.task.name.slice(9, 30)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('lets a visitor find an open dataset and download it', async () => {
    const { page } = b;
    await visit(page, '/portal', '政务数据资源目录');
    // 低保 matches only the shared list: the visitor is told one exists for members, not which.
    await page.locator('input[aria-label^="输入关键词"]').fill('低保');
    await page.keyboard.press('Enter');
    await page.getByTestId('members-only-hint').getByText('另有 1 项共享资源').waitFor();
    expect(await page.getByText(data.conditional.name).count()).toBe(0);
    await b.screenshot('19-visitor-members-only');
    await page.locator('input[aria-label^="输入关键词"]').fill('常住人口');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: data.open.name }).click();
    await settled(page, { path: /^\/portal\/resources\//, landmark: data.open.name });
    // The preview heads each column with the item's name over its field name; types in Chinese.
    await page.getByRole('tab', { name: '数据预览' }).click();
    await page.getByRole('columnheader', { name: /区县名称\s*qhmc/ }).waitFor();
    await page.getByRole('cell', { name: '350102' }).waitFor();
    await page.getByRole('tab', { name: /信息项/ }).click();
    await page.getByRole('cell', { name: '字符串' }).first().waitFor();
    await page.getByRole('cell', { name: '数值' }).first().waitFor();
    await page.getByRole('tab', { name: /下载/ }).click();
    await b.screenshot('20-visitor-download');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /CSV/ }).click(),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('区划代码,区县名称,常住人口');
    expect(text).toContain('鼓楼区');
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('lets an analyst apply for a conditional resource, showing its conditions', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/catalog', '共享目录');
    await page.locator('input[aria-label^="输入关键词"]').fill('低保');
    await page.keyboard.press('Enter');
    await b.screenshot('21-shared-catalog');
    await page.getByRole('link', { name: data.conditional.name }).click();
    await settled(page, { path: /\/resources\//, landmark: data.conditional.name });
    await page.getByTestId('apply-open').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('仅用于医疗救助对象资格核对').waitFor();
    await choose(page, '使用的应用系统', '医疗救助审核系统');
    for (const item of ['姓名', '身份证号', '区划代码', '保障金额']) await drawer.getByLabel(item).check();
    await drawer.getByLabel('使用用途').fill('医疗救助对象资格核对');
    await drawer.getByLabel('申请依据').fill('《社会救助暂行办法》第二十八条');
    await drawer.getByLabel('预计每日调用次数').fill('100');
    await drawer.getByLabel('预计每日数据行数').fill('10000');
    await b.screenshot('22-apply-form');
    await submitAndWaitForURL(page, drawer.getByTestId('apply-submit'), '**/workbench/requests');
    await settled(page, { path: '/workbench/requests', landmark: '我的申请' });
    await page.getByText(/等待数据管理员处理/).waitFor();
    await b.screenshot('23-my-requests');
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('lets the steward approve in part: fewer items, a row filter, export allowed', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/sources', '数据源');
    await page.getByRole('cell', { name: '低保对象台账' }).waitFor();
    await b.screenshot('24-sources');
    await visit(page, '/provider/reviews', '申请审批');
    await page.getByTestId('review-open').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('同意 身份证号').uncheck();
    await drawer.getByTestId('filter-add').click();
    await choose(page, '信息项 1', '区划代码');
    await choose(page, '条件 1', '属于');
    await drawer.getByLabel('值 1').fill('350102,350103');
    await drawer.getByLabel('可下载文件').click();
    await b.screenshot('25-review-approve-in-part');
    await drawer.getByTestId('approve-submit').click();
    await page.getByText('已同意，授权已生效').waitFor();
    await visit(page, '/provider/lineage', '使用去向');
    const lineage = page.getByRole('row', { name: new RegExp(data.conditional.name) });
    await lineage.getByText('福州市医疗保障局').waitFor();
    await lineage.getByText('医疗救助审核系统').waitFor();
    expect(await page.locator('main').textContent()).not.toContain('/api/');
    await b.screenshot('26-lineage');
    // An unbound draft: its binding drawer opens without asking for a binding that does not exist.
    await visit(page, '/provider/resources', '资源编目');
    await page.getByRole('button', { name: `绑定数据 ${data.unbound.name}` }).click();
    await page.getByRole('dialog', { name: new RegExp(data.unbound.name) }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('Escape');
    // A new resource's items are offered from an uploaded file's columns.
    await page.getByTestId('resource-create').click();
    const form = page.getByRole('dialog');
    await choose(page, '从已上传的文件带出信息项', '低保对象台账');
    await expect.poll(() => form.getByLabel('字段名 4').inputValue()).toBe('je');
    expect(await form.getByLabel('字段名 1').inputValue()).toBe('xm');
    await b.screenshot('26a-items-from-file');
    await page.keyboard.press('Escape');
    // The steward's own organisation's resources are in the SQL workbench's list.
    await visit(page, '/workbench/sql', 'SQL 工作台');
    await page.getByText(data.conditional.name).first().waitFor();
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('lets the analyst see the grant, join two resources in SQL, chart and export it', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/grants', '我的授权');
    await page.getByText('区划代码 ∈ {350102, 350103}').waitFor();
    const grant = page.getByRole('row', { name: /区划代码 ∈/ });
    await grant.getByRole('link', { name: data.conditional.name }).waitFor();
    await grant.getByText('福建省民政厅').waitFor();
    await grant.getByText('医疗救助审核系统').waitFor();
    await b.screenshot('27-grants');
    await visit(page, '/workbench/sql', 'SQL 工作台');
    await page.getByText(data.open.name).waitFor();
    const sql = [
      'SELECT p.qh, p.qhmc, p.rk, count(*) AS dbrs, sum(d.je) AS je',
      `FROM "${data.conditional.code}" d JOIN "${data.open.code}" p ON d.qh = p.qh`,
      'GROUP BY p.qh, p.qhmc, p.rk ORDER BY p.qh',
    ].join('\n');
    await page.getByTestId('sql-editor').fill(sql);
    await page.keyboard.press('Escape');
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-count').textContent(), { timeout: 30_000 }).toBe('2 行');
    await b.screenshot('28-sql-results');
    await page.getByRole('tab', { name: '图表' }).click();
    await page.getByText('地图', { exact: true }).click();
    await page.locator('[role=img][aria-label^="地图："] canvas').waitFor();
    await b.screenshot('29-sql-map');
    await page.getByTestId('sql-export').click();
    await page.getByRole('menuitem', { name: 'CSV' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('menuitem', { name: 'CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('鼓楼区');
    expect(csv).not.toContain('仓山区');
    await visit(page, '/dashboards/overview', '数据共享交换总览');
    await page.locator('.ht-screen canvas').first().waitFor();
    const approval = page.getByTestId('approval-stats');
    await approval.getByText('审批时长中位数').waitFor();
    // One request decided (the steward's approval): real figures, no placeholder.
    await expect.poll(async () => approval.textContent()).toMatch(/已办结申请\s*1/);
    expect(await page.getByTestId('dashboard').textContent()).not.toContain('等待接口');
    await b.screenshot('30-dashboard-map');
    expectNoConsoleErrors(b.errors);
  }, 90_000);

  it('lets the auditor search the log, read a proof and verify the whole log', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signIn(page, PEOPLE.auditor.username, PEOPLE.auditor.password);
    await visit(page, '/audit/log', '审计日志');
    // Named: event types in Chinese, people and organisations by name; newest first.
    await page.getByRole('cell', { name: '审批通过申请' }).first().waitFor();
    await page.getByRole('cell', { name: '林管理（mz-steward）' }).first().waitFor();
    await page.getByRole('cell', { name: '福州市医疗保障局' }).first().waitFor();
    const indexes = (await page.locator('.ant-table-row > td:first-child').allInnerTexts()).map(Number);
    expect(indexes.length).toBeGreaterThan(5);
    expect(indexes).toEqual([...indexes].sort((x, y) => y - x));
    await b.screenshot('31-audit-log');
    // The type is a choice list of named events.
    // 39 types in a virtual list: typing narrows it to the one wanted.
    await page.getByLabel('事件类型', { exact: true }).fill('数据流出开始');
    await choose(page, '事件类型', '数据流出开始');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    // Only that type is listed once the search has answered (and some entries of it are).
    const types = () => page.locator('.ant-table-row > td:nth-child(3)').allInnerTexts();
    await expect
      .poll(async () => {
        const shown = await types();
        return shown.length > 0 && shown.every((x) => x === '数据流出开始');
      })
      .toBe(true);
    // Who received what from whom: the analyst's releases of the 低保 list from 福建省民政厅.
    await page.getByRole('tab', { name: '谁从谁处获得了什么' }).click();
    await settled(page, { path: '/audit/log?view=releases', landmark: '审计日志' });
    const received = page
      .getByTestId('releases-summary')
      .getByRole('row', { name: new RegExp(data.conditional.name) });
    await received.getByText('福建省民政厅').waitFor();
    await received.getByText('黄分析（yb-analyst）').waitFor();
    await b.screenshot('31a-audit-releases');
    await visit(page, '/audit/checkpoints', '检查点与验证');
    await page.getByTestId('audit-verify').click();
    await page
      .getByTestId('audit-verify-result')
      .getByText(/验证通过/)
      .waitFor({ timeout: 30_000 });
    await b.screenshot('32-audit-verified');
    await visit(page, '/audit/log', '审计日志');
    await page
      .getByRole('button', { name: /包含性证明/ })
      .first()
      .click();
    await page
      .getByRole('dialog')
      .getByText(/已包含在大小为|晚于最新检查点/)
      .waitFor();
    await b.screenshot('33-audit-proof');
    expectNoConsoleErrors(b.errors);
  }, 150_000);
});
