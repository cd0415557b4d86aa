import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// Deadlines (时限, docs/governance.md): a request's clock in the applicant's and the provider's
// lists and drawer, and the SLA page for the auditor. The clock's arithmetic is tested beside
// the code; here only that the console shows it.
describe.skipIf(!browserAvailable())('browser: deadlines', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer({ HUITONG_DEADLINE_SWEEP_MINUTES: '0' });
    data = await buildSharingFixture(server);
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await analyst('POST', '/api/v1/access-requests', {
      applicationId: data.applicationId,
      resourceCode: data.conditional.code,
      items: ['区划代码', '保障金额'],
      purpose: '医疗救助对象资格核对',
      legalBasis: '《社会救助暂行办法》',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-deadlines-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the clock to the applicant and the provider, and the SLA to the auditor', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/requests', '我的申请');
    const tag = page.getByTestId('deadline').first();
    await tag.waitFor();
    expect(await tag.getAttribute('data-state')).toMatch(/^(running|due_today)$/);
    expect(await tag.textContent()).toMatch(/剩余 \d+ 个工作日|今日到期/);
    await b.screenshot('70-deadline-applicant');
    await signOut(page);

    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/reviews', '申请审批');
    await page.getByTestId('deadline').first().waitFor();
    await page.getByTestId('review-open').first().click();
    await page.getByRole('dialog').getByText('办理时限').waitFor();
    await page.getByRole('dialog').getByTestId('deadline').waitFor();
    await b.screenshot('71-deadline-review-drawer');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await signOut(page);

    await signIn(page, PEOPLE.auditor.username, PEOPLE.auditor.password);
    await visit(page, '/dashboards/deadlines', '办理时限统计');
    await page.getByTestId('sla-departments').getByText('福建省民政厅').waitFor();
    await page.getByText('暂无超期申请').waitFor();
    await page.getByText('共享申请答复（一般数据）：10 个工作日').waitFor();
    await page.getByText('异议核实处理：5 个工作日').waitFor();
    await b.screenshot('72-deadline-sla');
    expectNoConsoleErrors(b.errors);
  }, 240_000);

  it('shows the auditor the month’s assessment of each department, and exports it', async () => {
    const { page } = b;
    await signOut(page);
    await signIn(page, PEOPLE.auditor.username, PEOPLE.auditor.password);
    await visit(page, '/dashboards/assessments', '月度考核');
    // Last month by default; the fixture's department was published this month.
    const thisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const picker = page.getByLabel('考核月份');
    await picker.click();
    await picker.fill(thisMonth);
    await picker.press('Enter');
    const table = page.getByTestId('assessment-departments');
    await table.getByText('福建省民政厅').waitFor();
    await page.getByText('本月未结束，数据为实时').waitFor();
    await expect(table.getByRole('columnheader', { name: '申请响应（25）' }).count()).resolves.toBe(1);
    // Hovering a score names the counts it comes from, in Chinese.
    await expect.poll(() => table.locator('span[title*="已发布目录"]').count()).toBeGreaterThan(0);
    await b.screenshot('74-assessment');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`考核-${thisMonth}.xlsx`);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('lets the platform administrator add a local holiday and see the deadlines in force', async () => {
    const { page } = b;
    await signOut(page);
    await signIn(page, server.admin.username, server.admin.password);
    await visit(page, '/admin/calendar', '工作日历与时限');
    await page.getByRole('cell', { name: '共享申请答复（核心数据）' }).waitFor();
    await page.getByRole('cell', { name: '需求答复' }).waitFor();
    await page.getByText('默认').first().waitFor();
    const form = page.locator('form[id="override"]');
    await form.getByLabel('日期').fill('2026-12-25');
    await form.getByLabel('日期').press('Enter');
    await form.getByLabel('说明').fill('市政府决定放假');
    await form.getByRole('button', { name: '添加调整' }).click();
    await page.getByRole('cell', { name: '2026-12-25' }).waitFor();
    await page.getByRole('cell', { name: '市政府决定放假' }).waitFor();
    await page.getByRole('cell', { name: '本地假日' }).waitFor();
    await b.screenshot('73-calendar-override');
    expectNoConsoleErrors(b.errors);
  }, 120_000);
});
