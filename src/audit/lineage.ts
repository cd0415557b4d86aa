import { type Kysely, sql } from 'kysely';
import type { Database, Page, PageQuery } from '../store/index.js';
import { toPage } from '../store/index.js';
import type { AuditActor } from './entry.js';
import { type AuditEntryView, cursorIndex, presentEntry, selectEntries } from './queries.js';
import { RELEASE_TYPES } from './release.js';

/** One delivery of data: who received which items of which resources, why, and what left. */
export interface ReleaseView {
  index: number;
  time: string;
  recipient: AuditActor;
  requestId: string | null;
  resources: string[];
  items: Record<string, string[]>;
  grantId: string | null;
  purpose: string;
  query: string;
  /** The subscription this release delivered to (a stored batch, a push, a pull), else null. */
  subscriptionId: string | null;
  /** What was delivered; null while a stream is running or if it never completed. */
  delivered: {
    index: number;
    time: string;
    /** Null when the process died mid-stream (status interrupted or cut): what left is unknown. */
    rows: number | null;
    bytes: number | null;
    sha256: string | null;
    status: string;
  } | null;
}

function delivered(entry: AuditEntryView): ReleaseView['delivered'] {
  const d = entry.data as {
    rows: number | null;
    bytes: number | null;
    sha256: string | null;
    status?: string;
  };
  return {
    index: entry.index,
    time: entry.time,
    rows: d.rows,
    bytes: d.bytes,
    sha256: d.sha256,
    status: d.status ?? 'complete',
  };
}

// exchange/ names every release of a subscription in its query: `subscription <id> changes up
// to …` when a captured batch is stored, `subscription <id> events after …` when it leaves.
const SUBSCRIPTION_QUERY = /^subscription ([0-9a-f-]{36}) /;

function presentRelease(start: AuditEntryView, completion: AuditEntryView | undefined): ReleaseView {
  const d = start.data as {
    items: Record<string, string[]>;
    grantId: string | null;
    purpose: string;
    query: string;
  };
  const whole = start.type === RELEASE_TYPES.whole;
  return {
    index: start.index,
    time: start.time,
    recipient: start.actor,
    requestId: start.requestId,
    resources: start.resources,
    items: d.items,
    grantId: d.grantId,
    purpose: d.purpose,
    query: d.query,
    subscriptionId: SUBSCRIPTION_QUERY.exec(d.query ?? '')?.[1] ?? null,
    delivered: whole ? delivered(start) : completion ? delivered(completion) : null,
  };
}

async function listReleases(
  db: Kysely<Database>,
  filter: { resource?: string; orgId?: string },
  page: PageQuery,
) {
  const rows = await selectEntries(db, { ...filter, type: [RELEASE_TYPES.whole, RELEASE_TYPES.start] })
    .where('idx', '>', cursorIndex(page.cursor))
    .orderBy('idx')
    .limit(page.limit + 1)
    .execute();
  const starts = rows.map((r) => presentEntry(r.entry));
  const streamed = starts.filter((s) => s.type === RELEASE_TYPES.start).map((s) => s.index);
  const completions = new Map<number, AuditEntryView>();
  if (streamed.length > 0) {
    const done = await db
      .selectFrom('audit_entries')
      .select(sql<string>`encode(entry, 'base64')`.as('entry'))
      .where(sql<boolean>`tags @> ${[`type:${RELEASE_TYPES.complete}`]}::text[]`)
      .where('ref_index', 'in', streamed)
      .orderBy('idx')
      .execute();
    for (const row of done) {
      const entry = presentEntry(row.entry);
      if (entry.ref !== null && !completions.has(entry.ref)) completions.set(entry.ref, entry);
    }
  }
  return toPage(
    starts,
    page.limit,
    (s) => ({ key: String(s.index), id: String(s.index) }),
    (s) => presentRelease(s, completions.get(s.index)),
  );
}

/** Lineage of a resource: who received its data, in log order. */
export function releasesOfResource(
  db: Kysely<Database>,
  resourceCode: string,
  page: PageQuery,
): Promise<Page<ReleaseView>> {
  return listReleases(db, { resource: resourceCode }, page);
}

/** Lineage of an organisation: what data it received, in log order. */
export function releasesToOrganization(
  db: Kysely<Database>,
  orgId: string,
  page: PageQuery,
): Promise<Page<ReleaseView>> {
  return listReleases(db, { orgId }, page);
}
