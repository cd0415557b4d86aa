import { type Kysely, sql } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { visibleResourceFilter } from './visibility.js';
import { LABELS } from './vocab.js';

type Db = Kysely<Database>;

/** One bar of a dashboard: a value, its label and its count. */
export interface StatBucket {
  key: string;
  label: string;
  count: number;
}

/** The counts behind the catalog dashboards. */
export interface CatalogStats {
  total: number;
  byProvider: StatBucket[];
  bySharingType: StatBucket[];
  byOpenType: StatBucket[];
  byGrade: StatBucket[];
  byUpdateCycle: StatBucket[];
  byMonth: StatBucket[];
}

const DIMENSIONS = {
  byProvider: 'provider_id',
  bySharingType: 'sharing_type',
  byOpenType: 'open_type',
  byGrade: 'grade',
  byUpdateCycle: 'update_cycle',
  byMonth: 'month',
} as const;

const LABEL_OF: Partial<Record<keyof typeof DIMENSIONS, Record<string, string>>> = {
  bySharingType: LABELS.sharingType,
  byOpenType: LABELS.openType,
  byGrade: LABELS.grade,
  byUpdateCycle: LABELS.updateCycle,
};

/**
 * Counts of the published resources the actor may see, by provider, sharing type, open type,
 * grade, update cycle and month of publication: one scan with GROUPING SETS.
 */
export async function catalogStats(db: Db, actor: Actor): Promise<CatalogStats> {
  const rows = await db
    .selectFrom(
      db
        .selectFrom('resources')
        .where(visibleResourceFilter(actor))
        .where('resources.status', '=', 'published')
        .select([
          'provider_id',
          'provider_name',
          'sharing_type',
          'open_type',
          'grade',
          'update_cycle',
          sql<string>`substr(publish_date, 1, 7)`.as('month'),
        ])
        .as('r'),
    )
    .select([
      sql<string>`case when grouping(provider_id) = 0 then 'byProvider' when grouping(sharing_type) = 0 then 'bySharingType'
        when grouping(open_type) = 0 then 'byOpenType' when grouping(grade) = 0 then 'byGrade'
        when grouping(update_cycle) = 0 then 'byUpdateCycle' when grouping(month) = 0 then 'byMonth' else 'total' end`.as(
        'dimension',
      ),
      sql<string>`coalesce(provider_id::text, sharing_type, open_type, grade, update_cycle, month)`.as('key'),
      sql<string>`max(provider_name)`.as('name'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy(
      sql`grouping sets ((provider_id), (sharing_type), (open_type), (grade), (update_cycle), (month), ())` as never,
    )
    .execute();
  const stats: CatalogStats = {
    total: 0,
    byProvider: [],
    bySharingType: [],
    byOpenType: [],
    byGrade: [],
    byUpdateCycle: [],
    byMonth: [],
  };
  for (const row of rows) {
    if (row.dimension === 'total') {
      stats.total = Number(row.count);
      continue;
    }
    const dimension = row.dimension as keyof typeof DIMENSIONS;
    const label = dimension === 'byProvider' ? row.name : (LABEL_OF[dimension]?.[row.key] ?? row.key);
    stats[dimension].push({ key: row.key, label, count: Number(row.count) });
  }
  for (const key of Object.keys(DIMENSIONS) as Array<keyof typeof DIMENSIONS>) {
    stats[key].sort((a, b) =>
      key === 'byMonth' ? a.key.localeCompare(b.key) : b.count - a.count || a.key.localeCompare(b.key),
    );
  }
  return stats;
}
