import { type Kysely, sql } from 'kysely';
import type { Database, StoreKind } from '../store/index.js';
import { type AuditEntryView, presentEntry } from './queries.js';
import { RELEASE_TYPES } from './release.js';

/** The application_name prefix by which a server process shows itself in pg_stat_activity. */
export const INSTANCE_PREFIX = 'huitong/';

// A start without an instance (written before instances were recorded) is only taken for dead
// on PostgreSQL once no export could plausibly still be running.
const LEGACY_HORIZON_MS = 24 * 3600_000;

/** Release starts that have no completion entry, oldest first. */
export async function danglingStarts(db: Kysely<Database>): Promise<AuditEntryView[]> {
  const rows = await db
    .selectFrom('audit_entries as s')
    .select(sql<string>`encode(s.entry, 'base64')`.as('entry'))
    .where(sql<boolean>`s.tags @> ${[`type:${RELEASE_TYPES.start}`]}::text[]`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('audit_entries as c').select('c.idx').whereRef('c.ref_index', '=', 's.idx'))),
    )
    .orderBy('s.idx')
    .execute();
  return rows.map((r) => presentEntry(r.entry));
}

/** The instances of server processes connected to this PostgreSQL right now. */
async function liveInstances(db: Kysely<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`
    select distinct application_name as name from pg_stat_activity
    where application_name like ${`${INSTANCE_PREFIX}%`}`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/**
 * The dangling starts whose process is gone. On PGlite the data directory's lock makes this
 * process its only user, so every dangling start is dead; on PostgreSQL a start belongs to a
 * live process while that process's connections show its instance in pg_stat_activity.
 */
export async function deadStarts(
  db: Kysely<Database>,
  kind: StoreKind,
  self: string | undefined,
): Promise<AuditEntryView[]> {
  const starts = await danglingStarts(db);
  if (starts.length === 0) return [];
  if (kind === 'pglite') return starts.filter((s) => s.data.instance !== self || self === undefined);
  const live = await liveInstances(db);
  return starts.filter((s) => {
    const instance = s.data.instance;
    if (typeof instance === 'string') return instance !== self && !live.has(instance);
    return Date.now() - Date.parse(s.time) > LEGACY_HORIZON_MS;
  });
}
