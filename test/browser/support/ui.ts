import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs in through the login page and waits for the console. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/home');
}

/** Signs out through the user menu. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

/** Picks an option of an Ant Design Select found by its label. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
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
