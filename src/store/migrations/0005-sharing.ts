import { type Kysely, sql } from 'kysely';

const now = sql`now()`;

/** Access requests and their steps, grants and their daily usage, notifications, licences, open releases. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('access_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
    .addColumn('consumer_org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id'))
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    .addColumn('expected_calls_per_day', 'integer')
    .addColumn('expected_rows_per_day', 'bigint')
    .addColumn('attachments', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_role', 'text')
    .addColumn('waiting_since', 'timestamptz')
    .addColumn('terms', 'jsonb')
    .addColumn('rejection_reason', 'text')
    .addColumn('rejection_text', 'text')
    .addColumn('grant_id', 'uuid')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('access_requests_consumer_idx')
    .on('access_requests')
    .columns(['consumer_org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('access_requests_provider_idx')
    .on('access_requests')
    .columns(['provider_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('access_request_steps')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('access_requests.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started_at', 'timestamptz')
    .addColumn('acted_at', 'timestamptz')
    .addPrimaryKeyConstraint('access_request_steps_pkey', ['request_id', 'seq'])
    .execute();

  await db.schema
    .createTable('grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.references('access_requests.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('auto_key', 'text', (c) => c.unique())
    .addColumn('application_id', 'uuid', (c) => c.references('applications.id'))
    .addColumn('consumer_org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id'))
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('row_filter', 'jsonb', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz')
    .addColumn('calls_per_day', 'integer')
    .addColumn('rows_per_day', 'bigint')
    .addColumn('allowed_ips', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('may_export', 'boolean', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  // resolveAccess looks grants up by holder and resource on every request.
  await db.schema
    .createIndex('grants_resource_org_idx')
    .on('grants')
    .columns(['resource_id', 'consumer_org_id'])
    .execute();
  await db.schema
    .createIndex('grants_consumer_idx')
    .on('grants')
    .columns(['consumer_org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('grants_provider_idx')
    .on('grants')
    .columns(['provider_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('grant_usage')
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('grants.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('calls', 'bigint', (c) => c.notNull())
    .addColumn('row_count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grant_usage_pkey', ['grant_id', 'day'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('recipient_org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('recipient_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('recipient_role', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('access_request_id', 'uuid', (c) => c.references('access_requests.id'))
    .addColumn('grant_id', 'uuid', (c) => c.references('grants.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notifications_org_idx')
    .on('notifications')
    .columns(['recipient_org_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('licence_acceptances')
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id'))
    .addColumn('accepter', 'text', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('licence_acceptances_pkey', ['resource_id', 'accepter'])
    .execute();

  await db.schema
    .createTable('open_releases')
    .addColumn('resource_id', 'uuid', (c) => c.primaryKey().references('resources.id'))
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
}

/** Drops the sharing tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'open_releases',
    'licence_acceptances',
    'notifications',
    'grant_usage',
    'grants',
    'access_request_steps',
    'access_requests',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
