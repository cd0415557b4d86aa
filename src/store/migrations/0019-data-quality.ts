import { type Kysely, sql } from 'kysely';

/**
 * Data quality (数据质量, issue 19 item 6): the rules a provider's stewards add to a resource (the
 * defaults derived from the catalog are computed, not stored), each resource's schedule, and the
 * runs with their per-rule counts, masked samples and score (null when the run failed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('quality_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('completeness', 'validity', 'uniqueness', 'referential', 'timeliness')`),
    )
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('quality_rules_resource_idx')
    .on('quality_rules')
    .column('resource_id')
    .execute();
  await db.schema
    .createTable('quality_schedules')
    .addColumn('resource_id', 'uuid', (c) => c.primaryKey().references('resources.id').onDelete('cascade'))
    .addColumn('every_minutes', 'integer', (c) => c.notNull().check(sql`every_minutes between 15 and 44640`))
    .addColumn('use_defaults', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('quality_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule', 'manual')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('succeeded', 'failed')`))
    .addColumn('score', 'double precision')
    .addColumn('error_code', 'text')
    .addColumn('results', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quality_runs_resource_idx')
    .on('quality_runs')
    .columns(['resource_id', 'started_at'])
    .execute();
}

/** Drops the three tables: resources lose their scores, nothing else depends on them. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['quality_runs', 'quality_schedules', 'quality_rules'])
    await db.schema.dropTable(table).execute();
}
