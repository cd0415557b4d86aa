import { type Kysely, sql } from 'kysely';

/**
 * Governance (issue 19, items 1–2): the administrator's changes to the working-day calendar,
 * the deadline rules (时限) with their history — a request keeps the rule in force when it was
 * filed — and the reminders and escalations already sent, so that each is sent once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_overrides')
    // Text, not date: PGlite and pg parse dates differently; the check keeps it a day.
    .addColumn('day', 'text', (c) => c.primaryKey().check(sql`day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'uuid', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('deadline_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('sharing_type', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('working_days', 'integer', (c) => c.notNull().check(sql`working_days between 1 and 366`))
    .addColumn('set_by', 'uuid', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deadline_rules_lookup_idx')
    .on('deadline_rules')
    .columns(['step', 'sharing_type', 'grade', 'set_at'])
    .execute();
  await db.schema
    .createTable('deadline_events')
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_events_pk', ['step', 'subject_id', 'kind'])
    .execute();
}

/** Drops the three tables: deadlines fall back to nothing, the calendar to the package alone. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['deadline_events', 'deadline_rules', 'calendar_overrides'])
    await db.schema.dropTable(table).execute();
}
