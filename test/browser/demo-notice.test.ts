import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/poll.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors } from './support/ui.js';

const demoState = async (url: string) =>
  ((await (await fetch(`${url}/api/health`)).json()) as { demo: string }).demo;

// A first start with the demo: /api/health says it is loading, and the console says so on every
// page until it is in (the notice asks again every five seconds and goes away by itself).
describe.skipIf(!browserAvailable())('browser: the demo-loading notice', () => {
  let server: RunningServer;
  let b: TestBrowser;
  beforeAll(async () => {
    server = await startServer({ HUITONG_DEMO: '1' });
    b = await openBrowser(server.url);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('shows the notice while the demo loads and takes it away when it is ready', async () => {
    const { page } = b;
    await page.goto('/portal');
    await page.waitForLoadState('networkidle');
    // Loading only ever turns into ready: still loading now means the page's earlier ask saw it too.
    expect(await demoState(server.url), 'the demo loaded before the page could show the notice').toBe(
      'loading',
    );
    const notice = page.getByTestId('demo-loading');
    await notice.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(notice.textContent()).resolves.toContain('演示数据正在加载');
    await b.screenshot('demo-loading-notice');

    await until('the demo to load', async () => (await demoState(server.url)) === 'ready', {
      timeoutMs: 600_000,
      everyMs: 2000,
    });
    await notice.waitFor({ state: 'hidden', timeout: 30_000 });
  }, 720_000);

  it('logged no console errors', () => {
    expectNoConsoleErrors(b.errors);
  });
});
