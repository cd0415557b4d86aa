import type { Selectable } from 'kysely';
import type { ResourceTable, ResourceVersionTable } from '../store/index.js';
import type { ItemView, ResourceView, VersionSummary, VersionView } from './schemas.js';

/** A resource as read (without its search tokens) with its classification's name. */
export type ResourceRow = Omit<Selectable<ResourceTable>, 'search_doc'> & { classification_name: string };

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
// jsonb comes back parsed from both stores; a string would mean a driver that does not parse it.
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** A resource as the API shows it. */
export function presentResource(row: ResourceRow): ResourceView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    classification: { code: row.classification_code, name: row.classification_name },
    provider: {
      id: row.provider_id,
      name: row.provider_name,
      code: row.provider_code,
      regionCode: row.provider_region,
      level: row.provider_level,
    },
    summary: row.summary,
    format: row.format,
    items: json<ItemView[]>(row.items).map((i) => ({ ...i, bounds: i.bounds ?? null })),
    sharingType: row.sharing_type as ResourceView['sharingType'],
    sharingConditions: row.sharing_conditions,
    sharingMethods: row.sharing_methods as ResourceView['sharingMethods'],
    legalBasis: row.legal_basis,
    openType: row.open_type as ResourceView['openType'],
    openConditions: row.open_conditions,
    updateCycle: row.update_cycle as ResourceView['updateCycle'],
    publishDate: row.publish_date,
    relatedCodes: row.related_codes,
    grade: row.grade as ResourceView['grade'],
    gradeLevel: row.grade_level,
    tags: row.tags,
    keywords: row.keywords,
    contact: json<ResourceView['contact']>(row.contact),
    licence: row.licence,
    status: row.status as ResourceView['status'],
    version: row.version,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    publishedAt: iso(row.published_at),
    retiredAt: iso(row.retired_at),
  };
}

/** A version's entry in a resource's history. */
export function presentVersionSummary(row: Selectable<ResourceVersionTable>): VersionSummary {
  return { version: row.version, publishedAt: iso(row.published_at)!, publishedBy: row.published_by };
}

/** A published version with its snapshot. */
export function presentVersion(row: Selectable<ResourceVersionTable>): VersionView {
  return { ...presentVersionSummary(row), resource: json<ResourceView>(row.snapshot) };
}
