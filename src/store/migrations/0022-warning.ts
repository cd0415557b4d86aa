import { type Kysely, sql } from 'kysely';

/**
 * Early warning (安全预警, issue 18): the detectors' cursor over the audit log (its one row is
 * also the lock that lets one process evaluate at a time), the rules' settings, the alerts, and
 * the two long memories the detectors keep beside the log (hourly volumes for baselines, the
 * addresses each key was seen from).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('warning_cursor')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    // The index of the last audit entry evaluated; -1 before the first.
    .addColumn('position', 'int8', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // An existing platform starts watching from now: its history is not turned into a flood of
  // alerts (and notifications) about the past; the baselines learn from here on.
  await sql`INSERT INTO warning_cursor (id, position, updated_at)
    SELECT 1, coalesce(max(idx), -1), now() FROM audit_entries`.execute(db);

  await db.schema
    .createTable('warning_rules')
    .addColumn('rule', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    // The automatic response: none, suspend_key or suspend_grant.
    .addColumn('response', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('warning_alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_org_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    // The triggering entries' indexes (the first ones, capped) and the range they span.
    .addColumn('entries', 'jsonb', (c) => c.notNull())
    .addColumn('first_index', 'int8', (c) => c.notNull())
    .addColumn('last_index', 'int8', (c) => c.notNull())
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('note', 'text')
    // The automatic response taken, if any: kind, target, when, and when a person undid it.
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warning_alerts_rule_subject')
    .on('warning_alerts')
    .columns(['rule', 'subject', 'last_seen'])
    .execute();
  await db.schema
    .createIndex('warning_alerts_created')
    .on('warning_alerts')
    .columns(['created_at', 'id'])
    .execute();

  // An automatic response suspends a key (undoable, unlike a revocation).
  await db.schema.alterTable('api_keys').addColumn('suspended_at', 'timestamptz').execute();

  await db.schema
    .createTable('warning_volumes')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('releases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('warning_volumes_pk', ['consumer', 'hour'])
    .execute();

  await db.schema
    .createTable('warning_addresses')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('first_index', 'int8', (c) => c.notNull())
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('warning_addresses_pk', ['key_id', 'address'])
    .execute();
}

/** Drops the warning tables: alerts and the detectors' memories go with them. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'warning_addresses',
    'warning_volumes',
    'warning_alerts',
    'warning_rules',
    'warning_cursor',
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('api_keys').dropColumn('suspended_at').execute();
}
