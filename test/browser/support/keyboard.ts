import type { Locator, Page } from 'playwright-core';

/** Whether `target` holds the keyboard focus (or contains the focused element). */
export async function hasFocus(target: Locator): Promise<boolean> {
  return target
    .evaluate((el) => el === el.ownerDocument.activeElement || el.contains(el.ownerDocument.activeElement))
    .catch(() => false);
}

/** What has the focus, for a failure message. */
export async function focusedDescription(page: Page): Promise<string> {
  return page.locator('html').evaluate((root) => {
    const el = root.ownerDocument.activeElement;
    if (!el || el === root.ownerDocument.body) return 'the page body';
    const name = el.getAttribute('aria-label') ?? el.textContent?.slice(0, 40) ?? '';
    return `<${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}> ${name}`.trim();
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would, at most
 * `max` times; fails saying where the focus went instead.
 */
export async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  if (await hasFocus(target)) return;
  throw new Error(
    `${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${target}; the focus is on ${await focusedDescription(page)}`,
  );
}

/** Waits until `target` has the focus (focus moved by the page, not by a key). */
export async function focusLandsOn(page: Page, target: Locator, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (await hasFocus(target)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the focus did not land on ${target}; it is on ${await focusedDescription(page)}`);
}
