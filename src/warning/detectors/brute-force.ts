import { type Detector, type Finding, NONE } from './detector.js';
import { type SeenEntry, stringField } from './entries.js';
import { SlidingWindow } from './window.js';

/** The keys an entry counts against: the address and account of a failed login, the caller of a refused release. */
interface FailureKey {
  subject: string;
  orgId: string | null;
  what: string;
}
const NO_KEYS: readonly FailureKey[] = [];

function failureKeys(entry: SeenEntry): readonly FailureKey[] {
  if (entry.type === 'auth.login_failed' || entry.type === 'auth.locked') {
    const keys = [];
    const ip = stringField(entry, 'ip');
    const username = stringField(entry, 'username');
    if (ip) keys.push({ subject: `address:${ip}`, orgId: null, what: `地址 ${ip} 登录失败` });
    if (username)
      keys.push({ subject: `account:${username}`, orgId: null, what: `账号 ${username} 登录失败` });
    return keys;
  }
  const refused =
    (entry.type === 'data.release.complete' || entry.type === 'data.release') &&
    entry.data.status === 'failed';
  if (refused)
    return [
      {
        subject: entry.consumer,
        orgId: entry.actor.orgId,
        what: `${entry.consumer} 请求被拒`,
      },
    ];
  return NO_KEYS;
}

/** Repeated refusals and failed logins (brute force): failures per address, account or caller within the window. */
export function bruteForce(): Detector {
  const window = new SlidingWindow();
  return {
    rule: 'brute_force',
    windowMinutes: (rule) => rule.settings.windowMinutes!,
    observe(entry, ctx) {
      const keys = failureKeys(entry);
      if (keys.length === 0) return NONE;
      const { failures, windowMinutes } = ctx.rule.settings as Record<string, number>;
      const at = entry.at;
      const found: Finding[] = [];
      for (const key of keys) {
        const marks = window.add(key.subject, at, entry.index, windowMinutes! * 60_000);
        if (ctx.quiet || marks.length < failures!) continue;
        found.push({
          rule: 'brute_force',
          subject: key.subject,
          subjectOrgId: key.orgId,
          summary: `${key.what}：${windowMinutes} 分钟内 ${marks.length} 次`,
          entries: [entry.index, ...marks.slice(0, 20).map((m) => m.index)],
          time: at,
          details: { failures: marks.length, windowMinutes, type: entry.type },
        });
      }
      return found;
    },
  };
}
