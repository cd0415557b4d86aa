import type { Kysely, Selectable } from 'kysely';
import type { Database, GrantTable } from '../store/index.js';
import { type GrantNames, presentGrant } from './presenters.js';
import type { GrantView } from './schemas.js';

type GrantRow = Selectable<GrantTable>;

/** The names of the resources, organisations and applications of some grants: one query each. */
export async function grantNames(db: Kysely<Database>, rows: GrantRow[]): Promise<GrantNames> {
  const resourceIds = [...new Set(rows.map((r) => r.resource_id))];
  const orgIds = [...new Set(rows.flatMap((r) => [r.provider_id, r.consumer_org_id]))];
  const appIds = [...new Set(rows.flatMap((r) => (r.application_id ? [r.application_id] : [])))];
  const [resources, orgs, apps] = await Promise.all([
    resourceIds.length
      ? db.selectFrom('resources').select(['id', 'name']).where('id', 'in', resourceIds).execute()
      : [],
    orgIds.length
      ? db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute()
      : [],
    appIds.length
      ? db.selectFrom('applications').select(['id', 'name']).where('id', 'in', appIds).execute()
      : [],
  ]);
  return {
    resources: new Map(resources.map((r) => [r.id, r.name])),
    organizations: new Map(orgs.map((o) => [o.id, o.name])),
    applications: new Map(apps.map((a) => [a.id, a.name])),
  };
}

/** Grants as the API shows them, named. */
export async function presentGrants(
  db: Kysely<Database>,
  rows: GrantRow[],
  now = new Date(),
): Promise<GrantView[]> {
  const names = await grantNames(db, rows);
  return rows.map((r) => presentGrant(r, now, names));
}
