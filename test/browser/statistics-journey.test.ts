import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { choose, expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// 隐私统计 (issue 15): an analyst holding a statistics grant on the 低保 list asks a grouped count
// in the console and sees noisy values, their ± at 95 % and the ε left; the provider's steward
// sees that consumer's spending against the limits. No record appears on either screen.
describe.skipIf(!browserAvailable())('browser: differentially private statistics', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer();
    data = await buildSharingFixture(server);
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    const request = await analyst<{ id: string }>('POST', '/api/v1/access-requests', {
      applicationId: data.applicationId,
      resourceCode: data.conditional.code,
      items: ['区划代码', '保障金额'],
      purpose: '低保对象分布统计',
      legalBasis: '《社会救助暂行办法》',
      use: 'statistics',
      validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
    await steward('POST', `/api/v1/access-requests/${request.id}/approve`, {
      privacyBudget: { epsilonPerDay: 3, epsilonTotal: 20 },
    });
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await b?.screenshot(`fail-${context.task.name.slice(0, 30)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('answers the analyst’s grouped count with noise, its ± at 95 % and the budget left', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/statistics', '隐私统计');
    await choose(page, '资源（统计授权）', `${data.conditional.name} · 福建省民政厅`);
    await page.getByText('授权预算：每日 ε 3，总计 ε 20').waitFor();
    await choose(page, '分组信息项（可选）', '区划代码');
    const groups = page.getByLabel('公开的分组列表', { exact: true });
    for (const group of ['350102', '350103', '350199']) {
      await groups.fill(group);
      await groups.press('Enter');
    }
    await page.getByLabel('本次消耗 ε', { exact: true }).fill('1');
    await page.getByTestId('statistics-run').click();
    const answer = page.getByTestId('statistics-answer');
    await answer.waitFor();
    // Every listed group, the absent 350199 too; ε 1 spent of the day's 3.
    for (const group of ['350102', '350103', '350199'])
      await answer.getByRole('cell', { name: group }).waitFor();
    await answer.getByText('ε 2').first().waitFor();
    await answer.getByText('ε 19').waitFor();
    // COUNT at ε 1: σ = √2, so ± σ·ln 20/√2 = ln 20 ≈ 3.0.
    expect(await answer.getByRole('cell', { name: '± 3.0' }).count()).toBe(3);
    const text = (await answer.textContent()) ?? '';
    for (const name of ['张伟', '李娜', '350102198001011234']) expect(text).not.toContain(name);
    await b.screenshot('statistics-analyst-answer');
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('shows the steward each consumer’s ε spent today and in all against the limits', async () => {
    const { page } = b;
    await signOut(page);
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/privacy-budgets', '隐私预算');
    const row = page.getByRole('row', { name: /福州市医疗保障局/ });
    await row.getByText('ε 1 / 3', { exact: true }).waitFor();
    await row.getByText('ε 1 / 20', { exact: true }).waitFor();
    await b.screenshot('statistics-steward-budgets');
    // Lowering the day's limit: the gauge follows; raising is not offered (the field's maximum).
    await row.getByRole('button', { name: '调低预算' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('每日 ε 上限', { exact: true }).fill('2');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('ε 1 / 2', { exact: true }).waitFor();
    await b.screenshot('statistics-steward-lowered');
    expectNoConsoleErrors(b.errors);
  }, 60_000);
});
