import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; CI installs it with apt (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots of the main screens go, to be looked at (gitignored). */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Whether browser tests can run here; under HUITONG_REQUIRE_SERVICES=1 absence is a failure. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.HUITONG_REQUIRE_SERVICES === '1') {
    throw new Error(`${CHROMIUM} is required (HUITONG_REQUIRE_SERVICES=1): apt-get install -y chromium`);
  }
  console.warn(`skipping browser tests: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  return false;
}

/** A headless Chromium with a fresh profile, and the console errors of every page it opens. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Launches Chromium against `baseURL` in a laptop-sized window, collecting console errors.
 * `bypassCSP` lets a test add a script of its own to the page (axe-core); the page's policy
 * forbids inline scripts, so only the accessibility checks ask for it.
 */
export async function openBrowser(
  baseURL: string,
  viewport = { width: 1366, height: 800 },
  options: { bypassCSP?: boolean } = {},
): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'huitong-chromium-'));
  // A persistent context over a fresh directory: a profile of its own that no other run shares.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    baseURL,
    viewport,
    locale: 'zh-CN',
    bypassCSP: options.bypassCSP ?? false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Every step of a journey should finish in well under this, but CI runs the whole suite beside the browser on two cores: a step may wait on a busy server.
  context.setDefaultTimeout(20_000);
  const errors: string[] = [];
  context.on('page', (p) => watch(p, errors));
  for (const open of context.pages()) watch(open, errors);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    errors,
    screenshot: async (name) => {
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watch(page: Page, errors: string[]) {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message} (${page.url()})`));
}
