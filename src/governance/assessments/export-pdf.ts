import { type PdfFont, renderPdf } from '../../pdf/index.js';
import { detailText, INDICATOR_LABELS, monthLabel } from './labels.js';
import { type AssessmentReport, IndicatorKeySchema } from './schemas.js';

const text = (v: number | null) => (v === null ? '不适用' : String(v));

/** The month's assessment as a PDF to print and file: the ranking, then each department's figures. */
export function assessmentPdf(report: AssessmentReport, font: PdfFont): Promise<Buffer> {
  return renderPdf(`${monthLabel(report.month)} 政务数据共享考核`, font, (doc) => {
    const keys = IndicatorKeySchema.options;
    doc.fontSize(18).text(`${monthLabel(report.month)} 政务数据共享考核月报`, { align: 'center' });
    doc
      .fontSize(9)
      .fillColor('#555')
      .text(
        `${report.final ? '月末定稿' : '本月未结束，数据为实时'} · 生成于 ${report.generatedAt} · 总分为适用指标得分的加权平均`,
        { align: 'center' },
      )
      .fillColor('black')
      .moveDown();
    doc.fontSize(9).table({
      columnStyles: [36, 150, 48, ...keys.map(() => '*')],
      data: [
        ['排名', '单位', '总分', ...keys.map((k) => `${INDICATOR_LABELS[k].zh}（${report.weights[k]}）`)],
        ...report.departments.map((d) => [
          d.rank === null ? '—' : String(d.rank),
          d.orgName,
          text(d.score),
          ...d.indicators.map((i) => text(i.score)),
        ]),
      ],
    });
    for (const d of report.departments) {
      doc.addPage();
      doc.fontSize(14).text(`${d.orgName}　总分 ${text(d.score)}${d.rank ? `　第 ${d.rank} 名` : ''}`);
      doc.moveDown(0.5);
      doc.fontSize(9).table({
        columnStyles: [90, 40, 50, '*', 220],
        data: [
          ['指标', '权重', '得分', '计算方法', '依据'],
          ...d.indicators.map((i) => [
            INDICATOR_LABELS[i.key].zh,
            String(i.weight),
            text(i.score),
            INDICATOR_LABELS[i.key].rule,
            detailText(i.detail),
          ]),
        ],
      });
    }
  });
}
