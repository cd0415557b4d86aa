import { z } from 'zod';

const zhCN = z.locales.zhCN();
const HAN = /\p{Script=Han}/u;

/**
 * A validation problem's message in Chinese: zod's own zh-CN wording of the issue when the
 * problem carries it, the message itself when it is already Chinese, a plain sentence otherwise.
 */
export function validationMessageZh(problem: { message: string; issue?: unknown }): string {
  if (HAN.test(problem.message)) return problem.message;
  const issue = problem.issue as Parameters<typeof zhCN.localeError>[0] | undefined;
  if (issue && typeof issue === 'object' && 'code' in issue) {
    const worded = zhCN.localeError(issue);
    const text = typeof worded === 'string' ? worded : worded?.message;
    // Issues do not keep the input (it may be data), so zod would say it received "undefined".
    if (text) return text.replace(/，实际接收 ?\S*$/, '');
  }
  return '取值不符合要求';
}
