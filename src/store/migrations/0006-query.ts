import { type Kysely, sql } from 'kysely';

/** Bindings of catalog resources to the source tables, files or SELECTs that hold their data. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resource_bindings')
    .addColumn('resource_id', 'uuid', (c) => c.primaryKey().references('resources.id').onDelete('cascade'))
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('sources.id'))
    .addColumn('read_from', 'jsonb', (c) => c.notNull())
    .addColumn('columns', 'jsonb', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('bound_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('resource_bindings_source_idx')
    .on('resource_bindings')
    .column('source_id')
    .execute();
}

/** Drops the bindings. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('resource_bindings').execute();
}
