import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A resource's name and provider, for screens that list resources by code. */
export interface ResourceName {
  name: string;
  providerId: string;
}

/**
 * Names and providers of resources by code (one query; unknown codes left out). Names are
 * catalogue metadata, which whoever sees the code in a log entry or a grant may read.
 */
export async function resourceNames(
  db: Kysely<Database>,
  codes: Iterable<string>,
): Promise<Record<string, ResourceName>> {
  const wanted = [...new Set(codes)].filter((c) => c.length > 0 && c.length <= 200);
  if (wanted.length === 0) return {};
  const rows = await db
    .selectFrom('resources')
    .select(['code', 'name', 'provider_id'])
    .where('code', 'in', wanted)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.code, { name: r.name, providerId: r.provider_id }]));
}
