import { type Kysely, sql } from 'kysely';

/** Sources (数据源): connection options, sealed credentials, uploaded files' metadata. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('secret_fields', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sources_org_name_key', ['org_id', 'name'])
    .execute();
  await db.schema
    .createIndex('sources_org_idx')
    .on('sources')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
}

/** Drops the sources table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sources').execute();
}
