import { type Kysely, sql } from 'kysely';

/**
 * Catalog review (目录审核, issue 19 item 5): a steward's publication of a draft, or change of a
 * published entry, waits here as a pending change — the proposed fields, who wrote it, its
 * field-by-field diff against the published version — until a catalog reviewer approves it (it
 * is then applied as a new version) or refuses it with a coded reason. At most one change per
 * resource is pending (the partial unique index), so a reviewer never approves something other
 * than the diff they read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('resource_id', 'uuid', (c) => c.notNull().references('resources.id'))
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('publish', 'update')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'refused', 'withdrawn')`),
    )
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('proposed', 'jsonb', (c) => c.notNull())
    .addColumn('diff', 'jsonb', (c) => c.notNull())
    // `user:<id>` or `application:<id>`, as versions record it; the organisation is the author's.
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('author_org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('reason_code', 'text')
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applied_version', 'integer')
    .execute();
  await db.schema
    .createIndex('catalog_changes_one_pending_idx')
    .on('catalog_changes')
    .column('resource_id')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('catalog_changes_queue_idx')
    .on('catalog_changes')
    .columns(['status', 'submitted_at', 'id'])
    .execute();
}

/** Drops the table: publication and changes apply at once again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_changes').execute();
}
