// Monthly assessments (月度考核) of every department: scored indicators from the catalog, the
// requests' deadlines, objections, data quality and use, kept as they stood at the month's close.

export { pdfFont } from '../../pdf/index.js';
export { assessmentPdf } from './export-pdf.js';
export { assessmentXlsx } from './export-xlsx.js';
export { WEIGHTS } from './indicators.js';
export { monthLabel } from './labels.js';
export { monthBounds, monthOf, previousMonth } from './month.js';
export { assessment, closeLastMonth, computeAssessment, monthReport } from './report.js';
export * from './schemas.js';
