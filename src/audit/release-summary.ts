import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/index.js';
import { presentEntry, selectEntries } from './queries.js';
import { RELEASE_TYPES } from './release.js';

/** Which releases to sum: a recipient organisation and a time window, all optional. */
export interface ReleaseSummaryFilter {
  /** The recipient's organisation (the actor's). */
  orgId?: string;
  resource?: string;
  from?: Date;
  to?: Date;
}

/** Releases of one resource to one recipient (an application, or a person in the console). */
export interface ReleaseSummaryRow {
  recipient: { kind: string; id: string; orgId: string | null };
  resource: string;
  /** Items (信息项) released at least once, sorted. */
  items: string[];
  /** Releases started (every one is logged before its first byte). */
  releases: number;
  /** Of them, delivered in full. */
  completed: number;
  /** Rows delivered in total, as the completions count them (a join's rows count for each resource it read). */
  rows: number;
  first: string;
  last: string;
}

interface Group extends Omit<ReleaseSummaryRow, 'items'> {
  items: Set<string>;
}

const BATCH = 1000;

/** The application behind an actor id: an API key's actor is `<applicationId>/<keyId>`. */
const recipientId = (kind: string, id: string) => (kind === 'application' ? id.split('/')[0]! : id);

/**
 * "Who received what": every release (whole or streamed) grouped by recipient and resource, with
 * counts, delivered rows and the first and last time, read from the log in index order.
 */
export async function summarizeReleases(
  db: Kysely<Database>,
  filter: ReleaseSummaryFilter,
): Promise<ReleaseSummaryRow[]> {
  const groups = new Map<string, Group>();
  const pending = new Map<number, Group[]>();
  const query = {
    orgId: filter.orgId,
    resource: filter.resource,
    from: filter.from,
    to: filter.to,
    type: [RELEASE_TYPES.whole, RELEASE_TYPES.start],
  };
  const settle = (targets: Group[], data: Record<string, unknown>) => {
    const rows = typeof data.rows === 'number' ? data.rows : 0;
    const complete = (data.status ?? 'complete') === 'complete';
    for (const g of targets) {
      g.rows += rows;
      if (complete) g.completed += 1;
    }
  };
  let after = -1;
  for (;;) {
    const batch = await selectEntries(db, query)
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(BATCH)
      .execute();
    for (const row of batch) {
      const entry = presentEntry(row.entry);
      const items = (entry.data.items ?? {}) as Record<string, string[]>;
      const id = recipientId(entry.actor.kind, entry.actor.id);
      const targets: Group[] = [];
      for (const resource of new Set(entry.resources)) {
        if (filter.resource && resource !== filter.resource) continue;
        const key = JSON.stringify([entry.actor.kind, id, resource]);
        let group = groups.get(key);
        if (!group) {
          group = {
            recipient: { kind: entry.actor.kind, id, orgId: entry.actor.orgId },
            resource,
            items: new Set(),
            releases: 0,
            completed: 0,
            rows: 0,
            first: entry.time,
            last: entry.time,
          };
          groups.set(key, group);
        }
        group.releases += 1;
        group.last = entry.time;
        for (const item of items[resource] ?? []) group.items.add(item);
        targets.push(group);
      }
      if (entry.type === RELEASE_TYPES.whole) settle(targets, entry.data);
      else pending.set(entry.index, targets);
    }
    if (batch.length < BATCH) break;
    after = Number(batch.at(-1)!.idx);
  }
  // Completions of streamed releases, by the start they point at.
  const starts = [...pending.keys()];
  for (let i = 0; i < starts.length; i += BATCH) {
    const done = await db
      .selectFrom('audit_entries')
      .select(sql<string>`encode(entry, 'base64')`.as('entry'))
      .where(sql<boolean>`tags @> ${[`type:${RELEASE_TYPES.complete}`]}::text[]`)
      .where('ref_index', 'in', starts.slice(i, i + BATCH))
      .orderBy('idx')
      .execute();
    for (const row of done) {
      const entry = presentEntry(row.entry);
      const targets = entry.ref === null ? undefined : pending.get(entry.ref);
      if (!targets) continue;
      pending.delete(entry.ref!);
      settle(targets, entry.data);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, items: [...g.items].sort() }))
    .sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}
