import type { Locator, Page, Request, Response } from 'playwright-core';
import { expect } from 'vitest';

/** What marks a page as the expected one: its address (path and query) and a visible landmark. */
export interface Landmark {
  /** The path (with the query when it matters) the page must settle at. */
  path: string | RegExp;
  /** A heading of the page, or any locator that only that page shows. */
  landmark: string | RegExp | ((page: Page) => Locator);
}

const landmarkOf = (page: Page, landmark: Landmark['landmark']): Locator =>
  typeof landmark === 'function' ? landmark(page) : page.getByRole('heading', { name: landmark }).first();

/**
 * Waits until the page has settled (no request for half a second) and checks it is where it
 * should be: the final address and a landmark of the page. A page that passes through the
 * expected address and moves on (a redirect back to /login) fails here, not three steps later.
 */
export async function settled(page: Page, expected: Landmark): Promise<void> {
  await page.waitForLoadState('networkidle');
  const url = new URL(page.url());
  const at = `${url.pathname}${url.search}`;
  if (typeof expected.path === 'string') {
    const wanted = expected.path.includes('?') ? at : url.pathname;
    expect(wanted, `the page settled at ${at}`).toBe(expected.path);
  } else {
    expect(at, `the page settled at ${at}`).toMatch(expected.path);
  }
  await landmarkOf(page, expected.landmark)
    .waitFor({ state: 'visible', timeout: 10_000 })
    .catch((error: Error) => {
      const now = new URL(page.url());
      throw new Error(
        `the landmark ${String(expected.landmark)} of ${String(expected.path)} did not show; the page is at ${now.pathname}${now.search} (${error.message.split('\n')[0]})`,
      );
    });
  // Still there once everything it asked for has answered.
  await page.waitForLoadState('networkidle');
  expect(new URL(page.url()).pathname, `the page moved on to ${page.url()}`).toBe(url.pathname);
}

/** Opens a path and checks the page settled there, showing its landmark. */
export async function visit(page: Page, path: string, landmark: Landmark['landmark']): Promise<void> {
  await page.goto(path);
  await settled(page, { path: path.split('#')[0]!, landmark });
}

/**
 * Signs in through the login form (never by setting a cookie) and checks that the console
 * opened and stays open: the landing page (/home, or `next`) with its greeting or landmark.
 */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  next: Landmark = { path: '/home', landmark: /欢迎/ },
): Promise<void> {
  const target = typeof next.path === 'string' ? next.path : '/home';
  await page.goto(target === '/home' ? '/login' : `/login?next=${encodeURIComponent(target)}`);
  await settled(page, { path: /^\/login/, landmark: '登录' });
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  // Password hashing is slow by design and CI runs the whole suite beside this browser: wait
  // long, and when the console does not open, say what the page showed and what the API answered.
  await submitAndWaitForURL(page, page.getByTestId('login-submit'), `**${target}`, 45_000);
  await settled(page, next);
}

/** Signs out through the user menu. */
export async function signOut(page: Page): Promise<void> {
  // Signing out may land on /login or on /login?next=… (the guarded page redirects as the session
  // ends, racing the menu's own navigation): either is the sign-in page. On a phone the dropdown
  // can close while its item animates in, so the click never lands: open it again, up to 3 times.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.getByTestId('user-menu').click({ timeout: 10_000 });
      await page.getByRole('menuitem', { name: '退出登录' }).click({ timeout: 10_000 });
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 });
      break;
    } catch (error) {
      if (new URL(page.url()).pathname === '/login') break;
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await settled(page, { path: '/login', landmark: '登录' });
}

/**
 * Picks an option of an Ant Design Select found by its label, and waits until the Select shows it.
 * The list may still be moving into place when it is clicked (it is aligned again after it opens,
 * about a line lower): a press on the option released beside it then selects nothing, silently.
 * So a click that did not take is made again on the list, now in place.
 */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const chosen = page.locator(`.ant-select-content[title="${option}"]`).filter({ has: select });
  const item = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`);
  for (let attempt = 1; attempt <= 3; attempt++) {
    if ((await select.getAttribute('aria-expanded')) !== 'true') await select.click();
    await item.click();
    const took = await chosen
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (took) return;
  }
  throw new Error(`${label}: ${option} was clicked 3 times and the Select still does not show it`);
}

/** Picks a path in an Ant Design Cascader found by its label (e.g. 福建省 → 福州市). */
export async function cascade(page: Page, label: string, path: string[]): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  for (const name of path) {
    await page.locator(`.ant-cascader-dropdown:visible .ant-cascader-menu-item[title="${name}"]`).click();
  }
  await page.keyboard.press('Escape');
}

/** The visible error messages of a form field, found by the field's label. */
export async function fieldErrors(page: Page, formName: string, field: string): Promise<string> {
  const item = page.locator(`#${formName}_${field}_help`);
  await item.waitFor({ state: 'visible' });
  return (await item.textContent()) ?? '';
}

/** Fails with every console error collected, if any. */
export function expectNoConsoleErrors(errors: string[]): void {
  expect(errors, errors.join('\n')).toEqual([]);
}

/** What the UI shows as an error: field errors, error alerts and error messages. */
const SHOWN_ERRORS = '.ant-form-item-explain-error, .ant-alert-error, .ant-message-error';

/**
 * Clicks `submit` and waits for the page to move to `url`. When an error shows up instead, or
 * nothing happens in time, fails at once saying why: the errors the UI shows, each write the page
 * sent to the API with its answer (or that none went out), and whether the button still spins.
 */
export async function submitAndWaitForURL(
  page: Page,
  submit: Locator,
  url: string,
  timeout = 30_000,
): Promise<void> {
  const writes = new Map<Request, string>();
  const what = (request: Request) => `${request.method()} ${new URL(request.url()).pathname}`;
  const isWrite = (request: Request) => request.method() !== 'GET' && request.url().includes('/api/');
  const onRequest = (request: Request) => {
    if (isWrite(request)) writes.set(request, `${what(request)} → no answer yet`);
  };
  const onResponse = async (response: Response) => {
    const request = response.request();
    if (!isWrite(request)) return;
    const body = response.status() >= 400 ? ` ${await response.text().catch(() => '')}` : '';
    writes.set(request, `${what(request)} → ${response.status()}${body}`);
  };
  const onFailed = (request: Request) => {
    if (isWrite(request)) writes.set(request, `${what(request)} → failed: ${request.failure()?.errorText}`);
  };
  page.on('request', onRequest);
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  const errors = page.locator(SHOWN_ERRORS);
  try {
    await submit.click();
    const outcome = await Promise.race([
      page.waitForURL(url, { timeout }).then(() => 'moved'),
      errors
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => 'an error was shown'),
    ]);
    if (outcome !== 'moved') throw new Error(outcome);
  } catch (error) {
    // A moment for an answer's body and a message still being drawn.
    await page.waitForTimeout(500);
    const shown = (await errors.allInnerTexts())
      .map((text) => text.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    const busy = await submit
      .evaluate((button) => button.classList.contains('ant-btn-loading'))
      .catch(() => false);
    throw new Error(
      [
        `after the click on ${await submit.textContent().catch(() => 'submit')}, the page stayed at ${page.url()} instead of ${url}`,
        `the UI shows: ${shown.length > 0 ? shown.join(' | ') : 'no error'}${busy ? ' (the button still spins)' : ''}`,
        `writes to the API: ${writes.size > 0 ? [...writes.values()].join('; ') : 'none sent'}`,
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      ].join('\n'),
    );
  } finally {
    page.off('request', onRequest);
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
  }
}

/**
 * Waits until a dialog is open and has stopped zooming in: under load a click during antd's
 * animation can be lost (the officer would click again once it stands still).
 */
export async function dialogStill(page: Page): Promise<void> {
  // A string: the test code is compiled without the DOM's types.
  await page.waitForFunction(`(() => {
    const modals = [...document.querySelectorAll('.ant-modal')];
    return modals.length > 0 && modals.every((m) => ![...m.classList].some((c) => c.startsWith('ant-zoom')));
  })()`);
}
