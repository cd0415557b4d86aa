import { delivered } from './delivered.js';
import { type Detector, type DetectorContext, NONE } from './detector.js';
import type { SeenEntry } from './entries.js';

/** File formats: a copy that leaves the platform whole (JSON pages and answers are not exports). */
const EXPORTS = new Set(['csv', 'xlsx', 'parquet', 'ndjson', 'arrow']);

/** A file export of at least the rule's rows, with the items it delivered per resource. */
function exported(entry: SeenEntry, ctx: DetectorContext) {
  const release = delivered(entry, ctx, ctx.rule.settings.rows);
  if (!release) return undefined;
  const format = release.details.data.format;
  if (typeof format !== 'string' || !EXPORTS.has(format)) return undefined;
  const items = (release.details.data.items ?? {}) as Record<string, string[]>;
  return { release, format, items };
}

/** Exports of personal data above a threshold: a file of many rows with items the catalog marks personal. */
export const personalDataExport: Detector = {
  rule: 'personal_data_export',
  windowMinutes: () => 0,
  async prepare(entries, ctx) {
    if (ctx.quiet) return;
    const codes = entries.flatMap((e) => Object.keys(exported(e, ctx)?.items ?? {}));
    if (codes.length > 0) await ctx.lookups.loadPersonalItems(codes);
  },
  observe(entry, ctx) {
    const found = ctx.quiet ? undefined : exported(entry, ctx);
    if (!found) return NONE;
    const { release, format, items } = found;
    const personal: string[] = [];
    for (const [code, names] of Object.entries(items)) {
      const marked = ctx.lookups.personalItems(code);
      personal.push(...names.filter((n) => marked.has(n)));
    }
    if (personal.length === 0) return NONE;
    const consumer = entry.consumer;
    return [
      {
        rule: 'personal_data_export',
        subject: consumer,
        subjectOrgId: entry.actor.orgId,
        summary: `${consumer} 导出 ${format.toUpperCase()} 文件 ${release.rows} 行，含个人信息项：${[...new Set(personal)].join('、')}`,
        entries: [entry.index, ...(release.details.index !== entry.index ? [release.details.index] : [])],
        time: entry.at,
        details: {
          rows: release.rows,
          format,
          personalItems: [...new Set(personal)],
          resources: entry.resources,
        },
      },
    ];
  },
};
