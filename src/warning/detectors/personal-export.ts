import { delivered } from './delivered.js';
import type { Detector } from './detector.js';
import { consumerOf } from './entries.js';

/** File formats: a copy that leaves the platform whole (JSON pages and answers are not exports). */
const EXPORTS = new Set(['csv', 'xlsx', 'parquet', 'ndjson', 'arrow']);

/** Exports of personal data above a threshold: a file of many rows with items the catalog marks personal. */
export const personalDataExport: Detector = {
  rule: 'personal_data_export',
  windowMinutes: () => 0,
  async observe(entry, ctx) {
    if (ctx.quiet) return [];
    const release = await delivered(entry, ctx);
    if (!release || release.rows < ctx.rule.settings.rows!) return [];
    const format = release.details.data.format;
    if (typeof format !== 'string' || !EXPORTS.has(format)) return [];
    const items = (release.details.data.items ?? {}) as Record<string, string[]>;
    const personal: string[] = [];
    for (const [code, names] of Object.entries(items)) {
      const marked = await ctx.lookups.personalItems(code);
      personal.push(...names.filter((n) => marked.has(n)));
    }
    if (personal.length === 0) return [];
    const consumer = consumerOf(entry.actor);
    return [
      {
        rule: 'personal_data_export',
        subject: consumer,
        subjectOrgId: entry.actor.orgId,
        summary: `${consumer} 导出 ${format.toUpperCase()} 文件 ${release.rows} 行，含个人信息项：${[...new Set(personal)].join('、')}`,
        entries: [entry.index, ...(release.details.index !== entry.index ? [release.details.index] : [])],
        time: new Date(entry.time),
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
