import { type Detector, type DetectorContext, type Finding, NONE } from './detector.js';
import { isRequest, type SeenEntry } from './entries.js';
import { baselineOf, VolumeMemory } from './volume-memory.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;

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
    async prepare(entries, ctx) {
      if (ctx.quiet) return;
      const weeks = ctx.rule.settings.weeks!;
      // Each consumer's hours from the earliest its releases of the batch compare with.
      const from = new Map<string, number>();
      for (const entry of entries) {
        if (!isRequest(entry)) continue;
        const since = hourOf(entry.ms) - weeks * WEEK;
        const known = from.get(entry.consumer);
        if (known === undefined || since < known) from.set(entry.consumer, since);
      }
      await memory.prepare(ctx, from);
    },
    observe(entry: SeenEntry, ctx: DetectorContext): readonly Finding[] {
      if (ctx.quiet || !isRequest(entry)) return NONE;
      const { factor, minReleases, minWeeks, weeks } = ctx.rule.settings as Record<string, number>;
      weeksKept = weeks!;
      const consumer = entry.consumer;
      const hour = hourOf(entry.ms);
      const state = memory.add(consumer, hour);
      const releases = state.hours.get(hour)!;
      if (releases < minReleases!) return NONE;
      const { mean, historyWeeks } = baselineOf(state, hour, weeks!);
      if (historyWeeks < minWeeks! || releases <= factor! * mean) return NONE;
      const times = mean > 0 ? (releases / mean).toFixed(1) : '∞';
      return [
        {
          rule: 'volume_above_baseline',
          subject: consumer,
          subjectOrgId: entry.actor.orgId,
          summary: `${consumer} 本小时调用 ${releases} 次，为同时段基线（${mean.toFixed(1)} 次）的 ${times} 倍`,
          entries: [entry.index],
          time: entry.at,
          details: { hour: new Date(hour).toISOString(), releases, baseline: Math.round(mean * 10) / 10 },
        },
      ];
    },
    flush: (ctx) => memory.flush(ctx, weeksKept),
  };
}
