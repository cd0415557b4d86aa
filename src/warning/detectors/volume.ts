import type { AuditEntryView } from '../../audit/index.js';
import type { Detector, DetectorContext, Finding } from './detector.js';
import { consumerOf, isRequest } from './entries.js';
import { baselineOf, VolumeMemory } from './volume-memory.js';

const HOUR = 3_600_000;

/**
 * A consumer's volume far above its own baseline: releases are counted per consumer and hour (in
 * memory, persisted to warning_volumes with the cursor at the end of each batch), and the hour's
 * count is compared with the mean of the same hour of the week in the weeks before.
 */
export function volumeAboveBaseline(): Detector {
  const memory = new VolumeMemory();
  let weeksKept = 4;
  return {
    rule: 'volume_above_baseline',
    windowMinutes: () => 0,
    async observe(entry: AuditEntryView, ctx: DetectorContext): Promise<Finding[]> {
      if (ctx.quiet || !isRequest(entry)) return [];
      const { factor, minReleases, minWeeks, weeks } = ctx.rule.settings as Record<string, number>;
      weeksKept = weeks!;
      const consumer = consumerOf(entry.actor);
      const time = new Date(entry.time).getTime();
      const hour = Math.floor(time / HOUR) * HOUR;
      const state = await memory.add(ctx, consumer, hour, weeks!);
      const releases = state.hours.get(hour)!;
      if (releases < minReleases!) return [];
      const { mean, historyWeeks } = baselineOf(state, hour, weeks!);
      if (historyWeeks < minWeeks! || releases <= factor! * mean) return [];
      const times = mean > 0 ? (releases / mean).toFixed(1) : '∞';
      return [
        {
          rule: 'volume_above_baseline',
          subject: consumer,
          subjectOrgId: entry.actor.orgId,
          summary: `${consumer} 本小时调用 ${releases} 次，为同时段基线（${mean.toFixed(1)} 次）的 ${times} 倍`,
          entries: [entry.index],
          time: new Date(time),
          details: { hour: new Date(hour).toISOString(), releases, baseline: Math.round(mean * 10) / 10 },
        },
      ];
    },
    flush: (ctx) => memory.flush(ctx, weeksKept),
  };
}
