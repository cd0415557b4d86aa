import { type Detector, NONE } from './detector.js';
import { inHours, shanghaiHour } from './entries.js';

/** Event types that change who may do what, or what data goes where: the administrative changes. */
const ADMINISTRATIVE =
  /^(user|organization|api_key|application|calendar|deadline_rule|source|grant|backup|warning)\.|^resource\.(bound|unbound)$/;
// A person's own sign-in and password change are not administration of others.
const PERSONAL = new Set(['user.password_changed']);

/** Administrative changes at night (Asia/Shanghai), made by a person. */
export const nightAdmin: Detector = {
  rule: 'night_admin',
  windowMinutes: () => 0,
  observe(entry, ctx) {
    if (
      ctx.quiet ||
      entry.actor.kind !== 'user' ||
      !ADMINISTRATIVE.test(entry.type) ||
      PERSONAL.has(entry.type)
    )
      return NONE;
    const { nightStartHour, nightEndHour } = ctx.rule.settings as Record<string, number>;
    const time = entry.at;
    const hour = shanghaiHour(time);
    if (!inHours(hour, nightStartHour!, nightEndHour!)) return NONE;
    return [
      {
        rule: 'night_admin',
        subject: `user:${entry.actor.id}`,
        subjectOrgId: entry.actor.orgId,
        summary: `用户 ${entry.actor.id} 于夜间 ${hour} 时进行管理操作：${entry.type}`,
        entries: [entry.index],
        time,
        details: { type: entry.type, hour },
      },
    ];
  },
};
