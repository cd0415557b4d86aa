import { type Kysely, sql } from 'kysely';

/**
 * Monthly assessments (考核, issue 19 item 7): a month's report is kept as it stood when the month
 * closed, so that a department's score for November does not change when it fixes its catalog in
 * December.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assessment_reports')
    .addColumn('month', 'text', (c) => c.primaryKey().check(sql`month ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

/** Drops the kept reports: months are computed afresh from then on. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('assessment_reports').execute();
}
