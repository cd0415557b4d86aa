import type { IndicatorKey } from './schemas.js';

/** Each indicator's name and what it measures, as the exports print them (Chinese, then English). */
export const INDICATOR_LABELS: Record<IndicatorKey, { zh: string; en: string; rule: string }> = {
  catalog_completeness: {
    zh: '目录完整性',
    en: 'Catalog completeness',
    rule: '已发布目录通过必填项检查的比例（摘要、信息项说明、共享依据、联系人、关键词）',
  },
  catalog_timeliness: {
    zh: '目录及时性',
    en: 'Catalog timeliness',
    rule: '已发布目录中最近一版在一年内发布的比例',
  },
  request_response: {
    zh: '申请响应',
    en: 'Requests answered on time',
    rule: '本月答复的共享申请中按时答复数 ÷（本月答复数 + 本月到期仍未答复数）；明细含平均办理工作日',
  },
  objections: {
    zh: '异议处理',
    en: 'Objections handled on time',
    rule: '本月答复的异议中按时答复数 ÷（本月答复数 + 本月到期仍未答复数）',
  },
  data_quality: { zh: '数据质量', en: 'Data quality', rule: '资源质量评分的平均值（月末最近一次检测）' },
  resource_use: { zh: '资源使用', en: 'Use of resources', rule: '可共享资源中本月被调用过的比例' },
};

/** A month `2026-11` as people write it: 2026年11月. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/** The Chinese name of each figure behind a score (the `detail` keys), as the exports print them. */
export const DETAIL_LABELS: Record<string, string> = {
  entries: '已发布目录',
  complete: '完整目录',
  current: '一年内更新',
  answered: '本月答复',
  onTime: '按时答复',
  overdue: '到期未答复',
  averageWorkingDays: '平均办理工作日',
  resources: '资源数',
  used: '被调用资源',
  consumers: '使用单位',
  calls: '调用次数',
  rows: '记录数',
};

const ORDER = Object.keys(DETAIL_LABELS);
const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);

/**
 * The figures behind a score, for a cell: `本月答复 4 · 按时答复 3`, always in DETAIL_LABELS'
 * order (a kept month's detail comes back from JSONB, which reorders keys).
 */
export function detailText(detail: Record<string, number | null>): string {
  return Object.entries(detail)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k} ${v ?? '—'}`)
    .join(' · ');
}
