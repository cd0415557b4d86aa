import type { Kysely } from 'kysely';

/**
 * Cross-node access requests (issue 17, item 4: 跨节点共享申请). On the provider node, the person
 * who applied on a peer node is mirrored as a local user that cannot sign in (keyed, like the
 * mirrored organisations and applications, by the node that signed and the id it gave), so that
 * the request is an ordinary access request filed by a person of the mirrored organisation; and
 * which of its access requests each peer filed, so that a node reads the status of its own only.
 * On the consumer node, the remote requests its people filed (with the signed body's content, so
 * that one not yet delivered is sent again) and the provider's last answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federation_peer_users')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('remote_user_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().unique().references('users.id'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_peer_users_pk', ['node_id', 'remote_user_id'])
    .execute();
  await db.schema
    .createTable('federation_peer_requests')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('remote_request_id', 'text', (c) => c.notNull())
    .addColumn('access_request_id', 'uuid', (c) => c.notNull().unique().references('access_requests.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_peer_requests_pk', ['node_id', 'remote_request_id'])
    .execute();
  await db.schema
    .createTable('federation_remote_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('provider_node_id', 'text', (c) => c.notNull())
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('provider_request_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision', 'jsonb')
    .addColumn('checked_at', 'timestamptz')
    .addColumn('check_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('federation_remote_requests_org_idx')
    .on('federation_remote_requests')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_remote_requests').execute();
  await db.schema.dropTable('federation_peer_requests').execute();
  await db.schema.dropTable('federation_peer_users').execute();
}
