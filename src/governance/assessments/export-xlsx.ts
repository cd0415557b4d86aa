import ExcelJS from 'exceljs';
import { detailText, INDICATOR_LABELS, monthLabel } from './labels.js';
import { type AssessmentReport, IndicatorKeySchema } from './schemas.js';

/** The month's assessment as a workbook: the ranking, every indicator's figures, and the rules. */
export async function assessmentXlsx(report: AssessmentReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Huitong 汇通';
  workbook.created = new Date(report.generatedAt);
  const keys = IndicatorKeySchema.options;
  const summary = workbook.addWorksheet('考核汇总');
  summary.addRow([
    `${monthLabel(report.month)} 政务数据共享考核${report.final ? '' : '（本月未结束，数据为实时）'}`,
  ]);
  summary.addRow([
    '排名',
    '单位',
    '总分',
    ...keys.map((k) => `${INDICATOR_LABELS[k].zh}（${report.weights[k]}）`),
  ]);
  for (const d of report.departments)
    summary.addRow([
      d.rank ?? '—',
      d.orgName,
      d.score ?? '不适用',
      ...d.indicators.map((i) => i.score ?? '不适用'),
    ]);
  summary.getRow(2).font = { bold: true };
  summary.columns.forEach((c, i) => {
    c.width = i === 1 ? 28 : 14;
  });
  const details = workbook.addWorksheet('指标明细');
  details.addRow(['单位', '指标', '权重', '得分', '依据']);
  details.getRow(1).font = { bold: true };
  for (const d of report.departments)
    for (const i of d.indicators)
      details.addRow([
        d.orgName,
        INDICATOR_LABELS[i.key].zh,
        i.weight,
        i.score ?? '不适用',
        detailText(i.detail),
      ]);
  details.columns = [{ width: 28 }, { width: 14 }, { width: 8 }, { width: 10 }, { width: 60 }];
  const rules = workbook.addWorksheet('指标说明');
  rules.addRow(['指标', 'Indicator', '权重', '计算方法']);
  rules.getRow(1).font = { bold: true };
  for (const k of keys)
    rules.addRow([
      INDICATOR_LABELS[k].zh,
      INDICATOR_LABELS[k].en,
      report.weights[k],
      INDICATOR_LABELS[k].rule,
    ]);
  rules.addRow([]);
  rules.addRow(['总分 = 适用指标得分的加权平均（不适用的指标不计入权重）']);
  rules.columns = [{ width: 14 }, { width: 28 }, { width: 8 }, { width: 80 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
