import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** assessment_reports: a closed month's assessment (月度考核), kept as it stood at the close. */
export interface AssessmentReportTable {
  month: string;
  report: Json<unknown>;
  generated_at: Date;
}

/** The assessments' tables. */
export interface AssessmentTables {
  assessment_reports: AssessmentReportTable;
}
