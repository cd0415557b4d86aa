import { type Detector, NONE } from './detector.js';
import { isRequest } from './entries.js';
import { distinct, SlidingWindow } from './window.js';

/** One caller touching many resources in a short time: distinct resources read within the window. */
export function manyResources(): Detector {
  const window = new SlidingWindow();
  return {
    rule: 'many_resources',
    windowMinutes: (rule) => rule.settings.windowMinutes!,
    observe(entry, ctx) {
      if (!isRequest(entry) || entry.resources.length === 0) return NONE;
      const consumer = entry.consumer;
      const { distinctResources, windowMinutes } = ctx.rule.settings as Record<string, number>;
      const at = entry.at;
      let marks: ReturnType<SlidingWindow['add']> = [];
      for (const code of entry.resources)
        marks = window.add(consumer, at, entry.index, windowMinutes! * 60_000, code);
      const resources = distinct(marks);
      const fresh = entry.resources.some((code) => resources.get(code) === entry.index);
      if (ctx.quiet || resources.size < distinctResources! || !fresh) return NONE;
      return [
        {
          rule: 'many_resources',
          subject: consumer,
          subjectOrgId: entry.actor.orgId,
          summary: `${consumer} 在 ${windowMinutes} 分钟内读取 ${resources.size} 个不同资源`,
          entries: [entry.index, ...[...resources.values()].slice(0, 20)],
          time: at,
          details: {
            distinctResources: resources.size,
            windowMinutes,
            resources: [...resources.keys()].slice(0, 50),
          },
        },
      ];
    },
  };
}
