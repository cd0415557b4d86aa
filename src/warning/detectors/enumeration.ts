import { type Detector, NONE } from './detector.js';
import { isRequest } from './entries.js';
import { distinct, SlidingWindow } from './window.js';

/**
 * Enumeration of a verification (核验) API: one caller checking claims about many different
 * records of a resource. A claim's record is its first item (the identifier), logged as a keyed
 * digest, so distinct records are counted without any value in the log.
 */
export function verificationEnumeration(): Detector {
  const window = new SlidingWindow();
  return {
    rule: 'verification_enumeration',
    windowMinutes: (rule) => rule.settings.windowMinutes!,
    observe(entry, ctx) {
      if (!isRequest(entry) || entry.data.format !== 'verification') return NONE;
      const claim = entry.data.claim as Record<string, string> | undefined;
      const code = entry.resources[0];
      const items = (entry.data.items as Record<string, string[]> | undefined)?.[code ?? ''];
      const record = items?.[0] && claim?.[items[0]];
      if (!code || !record) return NONE;
      const consumer = entry.consumer;
      const { distinctSubjects, windowMinutes } = ctx.rule.settings as Record<string, number>;
      const at = entry.at;
      const marks = window.add(`${consumer}|${code}`, at, entry.index, windowMinutes! * 60_000, record);
      const records = distinct(marks);
      // Fires when this entry brings a new record at or past the threshold.
      if (ctx.quiet || records.size < distinctSubjects! || records.get(record) !== entry.index) return NONE;
      return [
        {
          rule: 'verification_enumeration',
          subject: consumer,
          subjectOrgId: entry.actor.orgId,
          summary: `${consumer} 在 ${windowMinutes} 分钟内核验 ${code} 的 ${records.size} 条不同记录`,
          entries: [entry.index, ...[...records.values()].slice(0, 20)],
          time: at,
          details: { resource: code, distinctSubjects: records.size, windowMinutes },
        },
      ];
    },
  };
}
