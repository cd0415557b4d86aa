import type { Kysely, Selectable } from 'kysely';
import type { Database, ObjectionTable, StoredObjectionStep } from '../store/index.js';
import type { ObjectionView } from './objection-schemas.js';

type Db = Kysely<Database>;
type Row = Selectable<ObjectionTable>;

/** The stored rows of objections with both parties' names. */
export async function presentObjections(db: Db, rows: Row[]): Promise<ObjectionView[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.flatMap((r) => [r.provider_id, r.consumer_id]))];
  const orgs = await db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute();
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const party = (id: string) => ({ id, name: names.get(id) ?? '' });
  return rows.map((r) => ({
    id: r.id,
    resource: { code: r.resource_code, name: r.resource_name },
    provider: party(r.provider_id),
    consumer: party(r.consumer_id),
    raisedBy: r.raised_by,
    keyColumn: r.key_column,
    rowKeys: r.row_keys,
    items: r.items,
    description: r.description,
    expected: r.expected,
    evidence: r.evidence,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    filedAt: r.filed_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
    history: r.history as StoredObjectionStep[],
  }));
}

/** One stored objection with its parties' names. */
export async function presentObjection(db: Db, row: Row): Promise<ObjectionView> {
  return (await presentObjections(db, [row]))[0]!;
}
