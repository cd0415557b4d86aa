import { useQueries, useQuery } from '@tanstack/react-query';
import { catalogApi, type ResourceView } from '../../../api/catalog.js';
import { fetchAll } from '../../../api/identity.js';
import { sharingApi } from '../../../api/sharing.js';

/** A resource the SQL can name: its code, a short alias, and its columns (item fields). */
export interface SqlTable {
  code: string;
  name: string;
  alias: string;
  columns: { name: string; label: string }[];
}

/** The column name a resource's item has in SQL: its field, else its own name. */
const columnOf = (item: ResourceView['items'][number]) => item.field ?? item.name;

/** A default alias from the resource's position: t1, t2 … (editable in the UI). */
const aliasAt = (index: number) => `t${index + 1}`;

/**
 * The resources the caller can query: those its organisation holds an active grant for, then
 * the shared catalog's 无条件共享 ones (granted automatically on first use).
 */
export function useSqlTables(): { tables: SqlTable[]; loading: boolean; error: unknown } {
  const grants = useQuery({
    queryKey: ['grants', 'consumer'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'consumer', limit: 200, cursor })),
  });
  const open = useQuery({
    queryKey: ['search', 'sql-unconditional'],
    queryFn: () => catalogApi.search({ sharingType: 'unconditional', limit: 50 }),
  });
  const granted = [
    ...new Set((grants.data ?? []).filter((g) => g.status === 'active').map((g) => g.resourceCode)),
  ];
  const details = useQueries({
    queries: granted.map((code) => ({
      queryKey: ['resource', code],
      queryFn: () => catalogApi.resource(code),
    })),
  });
  const resources = new Map<string, ResourceView>();
  for (const d of details) if (d.data) resources.set(d.data.code, d.data);
  for (const r of open.data?.items ?? []) if (!resources.has(r.code)) resources.set(r.code, r);
  const tables = [...resources.values()].map((r, i) => ({
    code: r.code,
    name: r.name,
    alias: aliasAt(i),
    columns: r.items.map((item) => ({ name: columnOf(item), label: item.name })),
  }));
  const loading = grants.isPending || open.isPending || details.some((d) => d.isPending);
  // A list that failed to load says so (an empty list would read as "nothing granted").
  const error = grants.error ?? open.error ?? details.find((d) => d.error)?.error ?? null;
  return { tables, loading, error };
}
