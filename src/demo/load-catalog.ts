import type { ResourceView } from '../catalog/index.js';
import { RESOURCES } from './catalog/index.js';
import type { PlatformClient } from './client.js';
import type { OrgIds, Sessions } from './load-members.js';
import { inParallel } from './parallel.js';

/** Resource codes by name, as the catalog issued them. */
export type ResourceCodes = Map<string, string>;

/** Creates every demo entry as its provider's data steward and publishes all but the drafts. */
export async function loadCatalog(
  client: PlatformClient,
  sessions: Sessions,
  orgs: OrgIds,
): Promise<ResourceCodes> {
  const codes: ResourceCodes = new Map();
  const providers = [...new Set(RESOURCES.map((r) => r.provider))];
  // Providers work side by side, each through its own entries in order (codes stay deterministic).
  await inParallel(providers, 4, async (provider) => {
    const auth = await sessions.steward(provider);
    const providerId = orgs.get(provider)!;
    const existing = await client.all<ResourceView>(auth, `/api/v1/resources?providerId=${providerId}`);
    for (const resource of RESOURCES.filter((r) => r.provider === provider)) {
      let view = existing.find((r) => r.name === resource.entry.name);
      view ??= await client.call<ResourceView>(auth, 'POST', '/api/v1/resources', {
        ...resource.entry,
        providerId,
      });
      if (!resource.draft && view.status === 'draft') {
        view = await client.call<ResourceView>(auth, 'POST', `/api/v1/resources/${view.code}/publish`);
      }
      codes.set(resource.entry.name, view.code);
    }
  });
  return codes;
}

/** The codes of the demo's resources, looked up by name through the public catalog API. */
export async function findResourceCodes(
  client: PlatformClient,
  auth: Parameters<PlatformClient['all']>[0],
): Promise<ResourceCodes> {
  const all = await client.all<ResourceView>(auth, '/api/v1/resources');
  return new Map(all.map((r) => [r.name, r.code]));
}
