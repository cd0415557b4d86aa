import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { signIn, visit } from './support/ui.js';

// Data quality (docs/governance.md, "Data quality"): the provider's steward sees a resource's
// score, its trend and its issues, the ID numbers of the samples masked; the catalog page shows
// the score. The counting is tested beside the code (src/governance/quality/quality.test.ts).
describe.skipIf(!browserAvailable())('browser: data quality', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer({ HUITONG_DEADLINE_SWEEP_MINUTES: '0', HUITONG_QUALITY_SWEEP_MINUTES: '0' });
    data = await buildSharingFixture(server);
    const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
    // The 低保 list holds ID numbers whose check digits are wrong: the defaults find them.
    await steward('POST', `/api/v1/governance/quality/resources/${data.conditional.code}/runs`);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-quality-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the provider the score and the issues with masked samples, and the catalog the score', async () => {
    const { page } = b;
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, `/dashboards/quality/${data.conditional.code}`, `数据质量：${data.conditional.name}`);
    await page.getByTestId('quality-issues').getByText('有效性').first().waitFor();
    const score = await page.getByTestId('quality-score').textContent();
    expect(score).toMatch(/\d/);
    const samples = await page.getByTestId('quality-sample').allTextContents();
    expect(samples.length).toBeGreaterThan(0);
    // Masked: no 18-character ID number appears whole.
    for (const sample of samples) expect(sample).not.toMatch(/\d{17}[\dX]/);
    expect(samples.join('')).toContain('*');
    await b.screenshot('80-quality-resource');

    await visit(page, '/dashboards/quality', '数据质量');
    await page.getByTestId('quality-resources').getByText(data.conditional.name).waitFor();
    await visit(page, `/portal/resources/${data.conditional.code}`, data.conditional.name);
    await page.getByTestId('quality-score-tag').waitFor();
  });
});
