import type { Kysely } from 'kysely';

/**
 * Scheduled delivery (定时全量交付, issue 16): a consumer application's cron schedule of full
 * exports of a resource into its staging database or as files, and each run's outcome. The lease
 * lets several platform processes share the schedules, each due run taken by one of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_schedules')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'jsonb', (c) => c.notNull())
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb')
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('target', 'jsonb', (c) => c.notNull())
    // Sealed (credentials key, bound to the schedule): a staging database's password.
    .addColumn('secret', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('delivery_schedules_due')
    .on('delivery_schedules')
    .columns(['status', 'next_run_at'])
    .execute();
  await db.schema
    .createIndex('delivery_schedules_org')
    .on('delivery_schedules')
    .columns(['org_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('delivery_schedule_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('schedule_id', 'uuid', (c) =>
      c.notNull().references('delivery_schedules.id').onDelete('cascade'),
    )
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows', 'int8')
    .addColumn('bytes', 'int8')
    .addColumn('sha256', 'text')
    .addColumn('error', 'text')
    // File exports: the path under the data directory, and the columns as released (for the download's check).
    .addColumn('file_path', 'text')
    .addColumn('columns', 'jsonb')
    .execute();
  await db.schema
    .createIndex('delivery_schedule_runs_schedule')
    .on('delivery_schedule_runs')
    .columns(['schedule_id', 'started_at'])
    .execute();
}
