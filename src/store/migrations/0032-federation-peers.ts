import type { Kysely } from 'kysely';

/**
 * Cross-node reads (issue 17, item 4): on a provider node, the organisations and applications of
 * peer nodes that read its data, each mirrored as a local organisation and application so that
 * grants, quotas, masks, usage and the audit log treat them as any consumer. A mirror is keyed by
 * the node that signed (and the id it gave): no node can act as another node's organisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_peer_orgs')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('remote_org_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'uuid', (c) => c.notNull().unique().references('organizations.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_peer_orgs_pk', ['node_id', 'remote_org_id'])
    .execute();
  await db.schema
    .createTable('federation_peer_apps')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('remote_app_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'uuid', (c) => c.notNull().unique().references('applications.id'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_peer_apps_pk', ['node_id', 'remote_app_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_peer_apps').execute();
  await db.schema.dropTable('federation_peer_orgs').execute();
}
