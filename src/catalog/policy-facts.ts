import type { ImportReport } from './import/catalog-import.js';
import type { ResourceView } from './schemas.js';

/**
 * What an audit entry records of a resource: the fields that decide who may have its data
 * (provider, sharing and open types, grade, items) and where it stands in its lifecycle.
 */
export function resourcePolicy(resource: ResourceView) {
  return {
    resourceId: resource.id,
    providerId: resource.provider.id,
    status: resource.status,
    version: resource.version,
    sharingType: resource.sharingType,
    openType: resource.openType,
    grade: resource.grade,
    gradeLevel: resource.gradeLevel,
    items: resource.items.map((item) => item.name),
  };
}

// The most resource codes one audit entry may name (AuditEventSchema's `resources`).
const CODES_PER_ENTRY = 1000;

/**
 * The `catalog.imported` entries of an import: what each records and the codes it names, at
 * most 1,000 a piece, so that a large sheet takes several. None when nothing was imported.
 */
export function importedFacts(report: ImportReport, publish: boolean) {
  const codes = report.imported.map((r) => r.code);
  const parts: Array<{
    resources: string[];
    data: { mode: string; publish: boolean; total: number; imported: number; rejected: number };
  }> = [];
  for (let at = 0; at < codes.length; at += CODES_PER_ENTRY) {
    const part = codes.slice(at, at + CODES_PER_ENTRY);
    parts.push({
      resources: part,
      data: {
        mode: report.mode,
        publish,
        total: report.total,
        imported: part.length,
        rejected: report.rejected.length,
      },
    });
  }
  return parts;
}
