import { useQuery } from '@tanstack/react-query';
import { fetchAll, identityApi } from '../../../api/identity.js';

/** Every organisation (anyone signed in may list them), for the suggested and assigned departments. */
export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => fetchAll((cursor) => identityApi.organizations({ limit: 200, cursor })),
    staleTime: 60_000,
  });
}
