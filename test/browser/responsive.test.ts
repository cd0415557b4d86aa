import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { buildConsoleFixture, type ConsoleFixture, type Persona } from './support/console-routes.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// The main pages of each persona on a 390 px phone and at 200 % zoom (a 1366 × 800 window at
// 200 % lays out as 683 × 400 CSS pixels): the page title is not covered (the element at its
// centre is the title), the main content keeps at least 300 px, the page does not scroll
// sideways, the menu opens as a drawer and closes again; on the portal the first result is on the
// first screen; the dashboard's KPI cards are full width. Screenshots go to test-artifacts/.

const SIZES = [
  { name: '390px', width: 390, height: 844 },
  { name: 'zoom200', width: 683, height: 400 },
] as const;

interface Screen {
  persona: Persona;
  path: string;
  name: string;
}

/** What covers the page's h1 at its centre, if anything; the width of the main region. */
async function layoutProblems(page: Page, width: number): Promise<string[]> {
  // In-page code reaches the DOM from the <html> element: the server's TypeScript has no DOM lib.
  return page.locator('html').evaluate((root, viewport) => {
    const document = root.ownerDocument;
    const window = document.defaultView;
    const problems: string[] = [];
    const h1 = document.querySelector('#main h1, main h1');
    if (!h1) return ['no h1'];
    h1.scrollIntoView({ block: 'center' });
    const box = h1.getBoundingClientRect();
    const hit = document.elementFromPoint(
      box.left + Math.min(box.width, viewport) / 2,
      box.top + box.height / 2,
    );
    if (!hit || !(hit === h1 || h1.contains(hit)))
      problems.push(`the title is covered by <${hit?.tagName.toLowerCase()} class="${hit?.className}">`);
    const main = document.querySelector('#main');
    if (main && main.clientWidth < 300) problems.push(`the main content is ${main.clientWidth} px wide`);
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) problems.push(`the page scrolls sideways by ${overflow} px`);
    window.scrollTo(0, 0);
    return problems;
  }, width);
}

describe.skipIf(!browserAvailable())('browser: phones and 200 % zoom', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: ConsoleFixture;
  let screens: Screen[];
  // Who is signed in: the screens go persona by persona, the analyst's last, for the search that follows.
  let current: Persona = 'visitor';

  beforeAll(async () => {
    server = await startServer();
    data = await buildConsoleFixture(server);
    b = await openBrowser(server.url);
    screens = [
      { persona: 'visitor', path: '/portal', name: 'portal' },
      { persona: 'visitor', path: `/portal/resources/${data.open.code}`, name: 'resource' },
      { persona: 'visitor', path: '/portal/stats', name: 'stats' },
      { persona: 'steward', path: '/provider/resources', name: 'resources' },
      { persona: 'steward', path: '/provider/reviews', name: 'reviews' },
      { persona: 'officer', path: '/security/grants', name: 'grants-overview' },
      { persona: 'auditor', path: '/audit/log', name: 'audit-log' },
      { persona: 'admin', path: '/admin/users', name: 'users' },
      { persona: 'analyst', path: '/home', name: 'home' },
      { persona: 'analyst', path: '/workbench/catalog', name: 'catalog' },
      { persona: 'analyst', path: '/workbench/grants', name: 'grants' },
      { persona: 'analyst', path: '/workbench/sql', name: 'sql' },
      { persona: 'analyst', path: '/dashboards/overview', name: 'dashboard' },
    ];
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('keeps every main page usable on a phone and at 200 % zoom', async () => {
    const { page } = b;
    const problems: string[] = [];
    for (const screen of screens) {
      if (screen.persona !== current) {
        await page.setViewportSize({ width: 1366, height: 800 });
        if (current !== 'visitor') await signOut(page);
        const who = data.credentials[screen.persona as Exclude<Persona, 'visitor'>];
        await signIn(page, who.username, who.password);
        current = screen.persona;
      }
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await visit(page, screen.path, (p) => p.locator('#main h1').first());
        await page.waitForTimeout(300);
        for (const p of await layoutProblems(page, size.width))
          problems.push(`${screen.path} at ${size.name}: ${p}`);
        if (current !== 'visitor') {
          // The menu is a drawer here: it opens from the header and closes without covering the title.
          await page.getByTestId('menu-open').click();
          await page.locator('.ht-menu-drawer nav').waitFor();
          if (screen.name === 'home') {
            await page.waitForTimeout(500); // the drawer slides in
            await b.screenshot(`rwd-${size.name}-${screen.persona}-menu`);
          }
          await page.keyboard.press('Escape');
          await page.locator('.ht-menu-drawer').waitFor({ state: 'hidden' });
          for (const p of await layoutProblems(page, size.width))
            problems.push(`${screen.path} at ${size.name}, menu closed: ${p}`);
        }
        await b.screenshot(`rwd-${size.name}-${screen.persona}-${screen.name}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 600_000);

  it('shows the first search result on the first screen of a phone, with the filters folded', async () => {
    const { page } = b;
    if (current !== 'analyst') {
      await page.setViewportSize({ width: 1366, height: 800 });
      if (current !== 'visitor') await signOut(page);
      await signIn(page, data.credentials.analyst.username, data.credentials.analyst.password);
      current = 'analyst';
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, '/workbench/catalog?q=%E4%BD%8E%E4%BF%9D', (p) => p.getByTestId('results-heading'));
    const first = page.locator('.ht-result').first();
    await first.waitFor();
    const box = await first.boundingBox();
    expect(box!.y, 'the first result starts below the first screen').toBeLessThan(844 - 60);
    expect(await page.locator('details.ht-filters').getAttribute('open')).toBeNull();
    await b.screenshot('rwd-390px-analyst-search');
  }, 120_000);

  it('stacks the dashboard’s KPI cards full width on a phone', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, '/dashboards/overview', (p) => p.locator('#main h1'));
    const widths = await page
      .locator('.ht-screen-kpi')
      .evaluateAll((cards) => cards.map((c) => c.clientWidth));
    expect(widths.length).toBeGreaterThan(0);
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(300);
  }, 120_000);

  it('logged no console errors', () => {
    expectNoConsoleErrors(b.errors);
  });
});
