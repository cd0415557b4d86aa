import { type PdfFont, renderPdf } from '../pdf/index.js';
import { type EvidenceFacts, evidenceTables, VERIFY_NOTE } from './evidence.js';
import type { TraceReport } from './report-schema.js';

/** The evidence report as a PDF to print and sign for an investigation file (same content as the HTML). */
export function evidencePdf(report: TraceReport, facts: EvidenceFacts, font: PdfFont): Promise<Buffer> {
  const t = evidenceTables(report, facts);
  return renderPdf(
    '泄露溯源证据报告',
    font,
    (doc) => {
      doc.fontSize(18).text('泄露溯源证据报告', { align: 'center' }).moveDown(0.5);
      doc.fontSize(9);
      for (const line of t.intro) doc.text(line);
      doc.moveDown().fontSize(12).text('溯源的资源').moveDown(0.3);
      doc.fontSize(8).table({ data: [t.resources.header, ...t.resources.rows] });
      doc.moveDown().fontSize(12).text('嫌疑接收方（按可信度排序）').moveDown(0.3);
      doc.fontSize(8).table({
        columnStyles: [28, 28, 80, 80, 80, 90, 36, 60, '*'],
        data: [t.suspects.header, ...t.suspects.rows],
      });
      doc.addPage();
      doc.fontSize(12).text('交付日志条目的包含性证明').moveDown(0.3);
      doc.fontSize(8);
      if (t.proofs.checkpoint) {
        const c = t.proofs.checkpoint;
        doc.text(`签名检查点：树大小 ${c.treeSize}，根哈希 ${c.rootHash}，签署于 ${c.signedAt}。`);
        doc.moveDown(0.3).text(c.note);
      } else doc.text('尚无签名检查点：日志条目待下一个检查点签署后方可证明。');
      if (t.proofs.rows.length > 0) {
        doc.moveDown(0.5);
        doc
          .fontSize(7)
          .table({ columnStyles: [50, 80, 150, '*'], data: [t.proofs.header, ...t.proofs.rows] });
      }
      if (t.proofs.pending.length > 0)
        doc
          .moveDown(0.5)
          .fontSize(8)
          .text(`检查点之后的条目（待下一检查点证明）：${t.proofs.pending.join('、')}`);
      doc.moveDown().fontSize(8).text(VERIFY_NOTE);
    },
    36,
  );
}
