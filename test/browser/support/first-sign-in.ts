import type { Page } from 'playwright-core';
import { settled } from './ui.js';

/**
 * The first sign-in of a user whose password an administrator set (等保): the login form leads to
 * the change-password page, which no other page can be reached past (visiting one comes back here
 * with it as `next`); changing the password signs in again and opens `next`. Returns the new password.
 */
export async function signInFirstTime(
  page: Page,
  username: string,
  initial: string,
  chosen: string,
  next = '/home',
): Promise<string> {
  await page.goto('/login');
  await settled(page, { path: /^\/login/, landmark: '登录' });
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(initial);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/change-password?next=*', { timeout: 45_000 });
  const landmark = '请修改初始密码';
  await settled(page, { path: '/change-password?next=%2Fhome', landmark });
  // Any other page of the console comes back here, remembering where it was going.
  await page.goto(next);
  await settled(page, { path: `/change-password?next=${encodeURIComponent(next)}`, landmark });

  await page.getByLabel('初始密码').fill(initial);
  await page.getByLabel('新密码', { exact: true }).fill(chosen);
  await page.getByLabel('再次输入新密码').fill(chosen);
  await page.getByTestId('change-password-submit').click();
  await page.waitForURL(`**${next}`, { timeout: 45_000 });
  return chosen;
}
