import {
  AssessmentExportQuerySchema,
  AssessmentQuerySchema,
  AssessmentReportSchema,
  assessment,
  assessmentPdf,
  assessmentXlsx,
  pdfFont,
} from '../../governance/index.js';
import type { App, AppContext } from '../types.js';
import { refusals } from './schemas.js';

const tags = ['governance'];

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** The monthly assessment of departments (月度考核) and its exports (docs/governance.md). */
export async function assessmentRoutes(app: App, { store, config }: AppContext): Promise<void> {
  app.get(
    '/api/v1/governance/assessments',
    {
      schema: {
        tags,
        summary:
          'A month’s assessment of every department, ranked (platform administrator, auditor; an organisation’s administrator or security officer: its own)',
        querystring: AssessmentQuerySchema,
        response: { 200: AssessmentReportSchema, ...refusals },
      },
    },
    async (request) => assessment(store.db, request.actor, request.query),
  );

  app.get(
    '/api/v1/governance/assessments/export',
    {
      schema: {
        tags,
        summary: 'The month’s assessment as XLSX (every figure) or PDF (the report to print and file)',
        querystring: AssessmentExportQuerySchema,
        produces: Object.values(CONTENT_TYPES),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      // The font is looked for before the month is computed: a PDF that cannot be printed costs nothing.
      const font = format === 'pdf' ? pdfFont(config.HUITONG_PDF_FONT) : undefined;
      const report = await assessment(store.db, request.actor, query);
      const body = font ? await assessmentPdf(report, font) : await assessmentXlsx(report);
      const filename = encodeURIComponent(`考核-${report.month}.${format}`);
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename*=UTF-8''${filename}`)
        .send(body);
    },
  );
}
