// PDF exports' shared need (the assessment report, a trace's evidence report): a Chinese font
// found on the machine or configured, its absence a clear 503 rather than boxes in print.

export { renderPdf } from './document.js';
export { type PdfFont, pdfFont } from './font.js';
