import { type Detector, type Finding, NONE } from './detector.js';
import { isRequest, type SeenEntry, stringField } from './entries.js';
import { SlidingWindow } from './window.js';

/** The grants a request read under (a release under several names them all, comma-separated). */
const grantsOf = (entry: SeenEntry): readonly string[] =>
  (isRequest(entry) && stringField(entry, 'grantId')?.split(',')) || NO_GRANTS;
const NO_GRANTS: readonly string[] = [];

/**
 * A burst of reads just before a grant expires (a consumer copying what it will soon lose): the
 * releases under one grant within the window, counted only in the hours before its expiry.
 */
export function burstBeforeExpiry(): Detector {
  const window = new SlidingWindow();
  return {
    rule: 'burst_before_expiry',
    windowMinutes: (rule) => rule.settings.windowMinutes!,
    // Also when quiet: the windows replayed after a restart count only the hours before expiry.
    async prepare(entries, ctx) {
      const grants = entries.flatMap(grantsOf);
      if (grants.length > 0) await ctx.lookups.loadGrants(grants);
    },
    observe(entry, ctx) {
      const grants = grantsOf(entry);
      if (grants.length === 0) return NONE;
      const { releases, windowMinutes, hoursBeforeExpiry } = ctx.rule.settings as Record<string, number>;
      const at = entry.at;
      const found: Finding[] = [];
      for (const grantId of grants) {
        const expiry = ctx.lookups.grantExpiry(grantId);
        if (!expiry || at > expiry || entry.ms < expiry.getTime() - hoursBeforeExpiry! * 3_600_000) continue;
        const marks = window.add(grantId, at, entry.index, windowMinutes! * 60_000);
        if (ctx.quiet || marks.length < releases!) continue;
        const hoursLeft = Math.round((expiry.getTime() - entry.ms) / 360_000) / 10;
        found.push({
          rule: 'burst_before_expiry',
          subject: `grant:${grantId}`,
          subjectOrgId: entry.actor.orgId,
          summary: `授权 ${grantId} 到期前 ${hoursLeft} 小时内，${windowMinutes} 分钟读取 ${marks.length} 次`,
          entries: [entry.index, ...marks.slice(0, 20).map((m) => m.index)],
          time: at,
          details: { grantId, releases: marks.length, windowMinutes, expiresAt: expiry.toISOString() },
        });
      }
      return found;
    },
  };
}
