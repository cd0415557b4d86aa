import { useQuery } from '@tanstack/react-query';
import { catalogApi } from '../../api/catalog.js';

/**
 * Counts of the published catalog by every facet: one search with no hits requested. Until
 * /api/v1/catalog/stats exists, this is what the statistics and the dashboard are drawn from.
 */
export function useCatalogFacets() {
  return useQuery({
    queryKey: ['catalog-facets'],
    queryFn: () => catalogApi.search({ limit: 0, facetLimit: 100 }),
    staleTime: 60_000,
  });
}
