import PDFDocument from 'pdfkit';
import type { PdfFont } from './font.js';

/**
 * Renders a PDF to bytes: an A4 landscape document in the Chinese font, drawn by `draw`. The
 * exports print tables wider than they are tall (a month's indicators, a trace's suspects).
 */
export async function renderPdf(
  title: string,
  font: PdfFont,
  draw: (doc: PDFKit.PDFDocument) => void,
  margin = 40,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin,
    info: { Title: title, Creator: 'Huitong 汇通' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.face as string);
  doc.font('cjk');
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
