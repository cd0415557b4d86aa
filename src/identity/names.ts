import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Ids to look up, by kind. */
export interface NameQuery {
  users?: Iterable<string>;
  organizations?: Iterable<string>;
  applications?: Iterable<string>;
}

/** Display names by id: a person's name (with the account), an organisation's, an application's. */
export interface IdentityNames {
  users: Record<string, string>;
  organizations: Record<string, string>;
  applications: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Ids come from log entries and request data; only well-formed ones reach the uuid columns.
const ids = (values: Iterable<string> | undefined) => [...new Set(values ?? [])].filter((v) => UUID.test(v));

/**
 * Names for ids that screens show (the audit log, lineage): one query per kind, unknown ids left
 * out, so a caller shows the id itself for a deleted or foreign record.
 */
export async function identityNames(db: Kysely<Database>, query: NameQuery): Promise<IdentityNames> {
  const users = ids(query.users);
  const organizations = ids(query.organizations);
  const applications = ids(query.applications);
  const [u, o, a] = await Promise.all([
    users.length
      ? db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', 'in', users).execute()
      : [],
    organizations.length
      ? db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', organizations).execute()
      : [],
    applications.length
      ? db.selectFrom('applications').select(['id', 'name']).where('id', 'in', applications).execute()
      : [],
  ]);
  return {
    users: Object.fromEntries(u.map((r) => [r.id, `${r.display_name}（${r.username}）`])),
    organizations: Object.fromEntries(o.map((r) => [r.id, r.name])),
    applications: Object.fromEntries(a.map((r) => [r.id, r.name])),
  };
}

/** An API key as an investigation names it: its name, and the person who created it. */
export interface KeyHolder {
  name: string;
  createdBy: string | null;
  createdByName: string | null;
}

/** The keys of ids (an application's release entries name the key used), with who created each. */
export async function keyHolders(
  db: Kysely<Database>,
  keyIds: Iterable<string>,
): Promise<Record<string, KeyHolder>> {
  const wanted = ids(keyIds);
  if (wanted.length === 0) return {};
  const rows = await db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.created_by', 'users.display_name', 'users.username'])
    .where('api_keys.id', 'in', wanted)
    .execute();
  return Object.fromEntries(
    rows.map((r) => [
      r.id,
      {
        name: r.name,
        createdBy: r.created_by,
        createdByName: r.display_name ? `${r.display_name}（${r.username}）` : null,
      },
    ]),
  );
}
