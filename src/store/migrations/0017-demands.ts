import { type Kysely, sql } from 'kysely';

/**
 * The demand list (需求清单, issue 19 item 4): data a consumer needs that the catalog lacks, the
 * department the platform assigns it to, and that department's answer. Each change is kept in
 * `demand_events`, the history the console shows. A new catalog entry is kept by id, not code:
 * a draft's code follows its classification until it is published.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('demands')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('suggested_org_id', 'uuid')
    .addColumn('requester_org_id', 'uuid', (c) => c.notNull())
    .addColumn('requested_by', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('submitted', 'returned', 'assigned', 'awaiting_publication', 'closed', 'refused', 'withdrawn')`,
        ),
    )
    .addColumn('assigned_org_id', 'uuid')
    .addColumn('assigned_at', 'timestamptz')
    .addColumn('answer_kind', 'text', (c) =>
      c.check(sql`answer_kind in ('existing_resource', 'new_entry', 'refusal')`),
    )
    .addColumn('answer_resource_id', 'uuid')
    .addColumn('answer_text', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('search_doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('demands_status_idx').on('demands').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('demands_assigned_idx').on('demands').column('assigned_org_id').execute();
  await db.schema.createIndex('demands_requester_idx').on('demands').column('requester_org_id').execute();
  await db.schema
    .createTable('demand_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('demand_id', 'uuid', (c) => c.notNull().references('demands.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_org_id', 'uuid')
    .addColumn('org_id', 'uuid')
    .addColumn('resource_id', 'uuid')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('demand_events_demand_idx')
    .on('demand_events')
    .columns(['demand_id', 'at'])
    .execute();
}

/** Drops the demand list and its history. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('demand_events').execute();
  await db.schema.dropTable('demands').execute();
}
