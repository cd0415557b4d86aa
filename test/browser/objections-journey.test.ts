import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// 异议处理 (docs/governance.md): the consumer's analyst objects to a row of the open population
// table in the workbench, the provider's steward answers it (corrected) in 异议处理 with the
// resource's figures, and the analyst confirms it: closed. The workflow's rules are tested
// beside the routes (src/http/routes/objections.test.ts); here what each person sees.
describe.skipIf(!browserAvailable())('browser: objections', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer({ HUITONG_DEADLINE_SWEEP_MINUTES: '0' });
    data = await buildSharingFixture(server);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-objections-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  const statusOf = (text: string) =>
    b.page
      .getByTestId('objections')
      .getByRole('row')
      .filter({ hasText: text })
      .getByTestId('objection-status');

  it('is raised by the consumer, answered by the provider and confirmed by the consumer', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/objections', '数据异议');
    await page.getByText('暂无数据异议').waitFor();
    // Raised from the resource: its preview links to the form with the resource filled in.
    await visit(page, `/portal/resources/${data.open.code}`, data.open.name);
    await page.getByRole('tab', { name: '数据预览' }).click();
    await page.getByTestId('objection-from-resource').click();
    await page.waitForURL((url) => url.pathname === '/workbench/objections');
    const drawer = page.getByRole('dialog');
    await drawer.getByText('对数据记录提出异议').waitFor();
    expect(await drawer.getByTestId('objection-resource').inputValue()).toBe(data.open.code);
    await drawer.getByTestId('objection-key-column').fill('qh');
    await drawer.getByTestId('objection-row-keys').fill('350103');
    await drawer.getByTestId('objection-items').fill('常住人口');
    await drawer.getByTestId('objection-description').fill('台江区常住人口与统计公报不符');
    await drawer.getByTestId('objection-expected').fill('446500');
    await drawer.getByTestId('objection-evidence').fill('2025年福州市统计公报');
    await drawer.getByTestId('objection-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('异议已提交').waitFor();
    await page.waitForLoadState('networkidle');
    await expect.poll(() => statusOf(data.open.name).textContent()).toBe('待核实');
    // A row under objection is marked where it is delivered.
    const analyst = await apiSession(server.url, PEOPLE.analyst.username, PEOPLE.analyst.password);
    const rows = await analyst<{ rows: { qh: string }[]; disputed: number[] }>(
      'GET',
      `/api/v1/resources/${data.open.code}/rows`,
    );
    expect(rows.disputed.map((i) => rows.rows[i]!.qh)).toEqual(['350103']);
    // …and in the console's preview of the rows.
    await visit(page, `/portal/resources/${data.open.code}`, data.open.name);
    await page.getByRole('tab', { name: '数据预览' }).click();
    const marked = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: '异议中', exact: true }) });
    await expect.poll(() => marked.count()).toBe(1);
    expect(await marked.textContent()).toContain('台江区');
    await visit(page, '/workbench/objections', '数据异议');
    await b.screenshot('80-objection-raised');
    await signOut(page);

    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/provider/objections', '异议处理');
    await expect.poll(() => statusOf('福州市医疗保障局').textContent()).toBe('待核实');
    const stats = page.getByTestId('objection-stats');
    await stats.getByText('异议总数').waitFor();
    await stats.getByText('待答复').waitFor();
    await page.getByTestId('objection-correct').click();
    const modal = page.getByRole('dialog');
    await modal.getByTestId('objection-reply').fill('已核实，源系统中台江区人口已更正为 446500');
    await modal.getByRole('button', { name: '提交' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.waitForLoadState('networkidle');
    await expect.poll(() => statusOf('福州市医疗保障局').textContent()).toBe('已更正');
    await page.getByRole('button', { name: '详情' }).first().click();
    await page.getByRole('dialog').getByText('已核实，源系统中台江区人口已更正为 446500').waitFor();
    await b.screenshot('81-objection-answered');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await signOut(page);

    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/objections', '数据异议');
    await expect.poll(() => statusOf(data.open.name).textContent()).toBe('已更正');
    await page.getByTestId('objection-confirm').click();
    const confirm = page.getByRole('dialog');
    await confirm.getByTestId('objection-reply').fill('已核对，无误');
    await confirm.getByRole('button', { name: '提交' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.waitForLoadState('networkidle');
    await expect.poll(() => statusOf(data.open.name).textContent()).toBe('已办结');
    // Closed: no action left, and the row is no longer marked.
    expect(await page.getByTestId('objection-confirm').count()).toBe(0);
    const after = await analyst<{ disputed: number[] }>('GET', `/api/v1/resources/${data.open.code}/rows`);
    expect(after.disputed).toEqual([]);
    await b.screenshot('82-objection-confirmed');
    expectNoConsoleErrors(b.errors);
  }, 240_000);
});
