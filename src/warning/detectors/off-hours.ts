import { dayOf } from '../../governance/index.js';
import { delivered } from './delivered.js';
import { type Detector, NONE } from './detector.js';
import { inHours, shanghaiHour } from './entries.js';

/**
 * Bulk reads outside working hours: a delivery of many rows on a day off of the working calendar
 * (statutory holidays, 调休 and the administrator's changes, from governance) or outside the
 * working hours of a working day.
 */
export const offHoursBulk: Detector = {
  rule: 'off_hours_bulk',
  windowMinutes: () => 0,
  observe(entry, ctx) {
    if (ctx.quiet) return NONE;
    const { minRows, dayStartHour, dayEndHour } = ctx.rule.settings as Record<string, number>;
    const release = delivered(entry, ctx, minRows);
    if (!release) return NONE;
    const time = entry.at;
    const working = ctx.calendar.isWorkingDay(dayOf(time));
    const hour = shanghaiHour(time);
    if (working && inHours(hour, dayStartHour!, dayEndHour!)) return NONE;
    const consumer = entry.consumer;
    const when = working ? `工作日 ${hour} 时` : '非工作日';
    return [
      {
        rule: 'off_hours_bulk',
        subject: consumer,
        subjectOrgId: entry.actor.orgId,
        summary: `${consumer} 于${when}读取 ${release.rows} 行（${entry.resources.join('、')}）`,
        entries: [entry.index, ...(release.details.index !== entry.index ? [release.details.index] : [])],
        time,
        details: { rows: release.rows, workingDay: working, hour, resources: entry.resources },
      },
    ];
  },
};
