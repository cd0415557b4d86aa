import type { CatalogChangeView, ResourceView } from '../catalog/index.js';
import { RESOURCES } from './catalog/index.js';
import { ApiError, type Auth, type PlatformClient } from './client.js';
import type { OrgIds, Sessions } from './load-members.js';
import { ACCOUNTS } from './members.js';
import { inParallel } from './parallel.js';

/** Resource codes by name, as the catalog issued them. */
export type ResourceCodes = Map<string, string>;

/** The demo's catalog reviewer (目录审核员). */
export const DEMO_REVIEWER = ACCOUNTS.find((a) => a.roles.includes('catalog_reviewer'))!.username;

/**
 * Publishes a draft as its steward. Where catalog review is required (the default) the answer is
 * a pending change (202), which the demo's catalog reviewer approves — a different person, so
 * that the demo goes through the review like any publication, audited; `approve: false` leaves it
 * in the queue. A change already pending (a load cut short) is found and decided the same way.
 */
async function publish(
  client: PlatformClient,
  sessions: Sessions,
  auth: Auth,
  code: string,
  approve: boolean,
): Promise<ResourceView> {
  let answer: ResourceView | CatalogChangeView;
  try {
    answer = await client.call<ResourceView | CatalogChangeView>(
      auth,
      'POST',
      `/api/v1/resources/${code}/publish`,
    );
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'catalog_change_pending')) throw error;
    const pending = await client.all<CatalogChangeView>(
      auth,
      `/api/v1/catalog/changes?status=pending&resourceCode=${encodeURIComponent(code)}`,
    );
    answer = pending[0]!;
  }
  if (!('kind' in answer)) return answer;
  if (approve) {
    const reviewer = await sessions.as(DEMO_REVIEWER);
    await client.call(reviewer, 'POST', `/api/v1/catalog/changes/${answer.id}/approve`, {
      comment: '演示数据，审核通过',
    });
  }
  return client.call<ResourceView>(auth, 'GET', `/api/v1/resources/${code}`);
}

/** Creates every demo entry as its provider's data steward and publishes all but the drafts (through catalog review). */
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
      if (resource.draft !== true && view.status === 'draft') {
        view = await publish(client, sessions, auth, view.code, resource.draft !== 'in_review');
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
