import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditEntryView } from '../../audit/index.js';
import { resourceNames } from '../../catalog/index.js';
import { identityNames } from '../../identity/index.js';
import type { Database } from '../../store/index.js';

/** Names of what a page of entries mentions, so that screens show names rather than ids. */
export const NamesSchema = z.object({
  users: z.record(z.string(), z.string()),
  organizations: z.record(z.string(), z.string()),
  applications: z.record(z.string(), z.string()),
  resources: z.record(z.string(), z.object({ name: z.string(), providerId: z.string() })),
});
export type Names = z.infer<typeof NamesSchema>;

/** What an actor id names: an API key's actor is `<applicationId>/<keyId>`. */
export const applicationOf = (id: string) => id.split('/')[0]!;

/** Ids a set of mentions names, looked up in one query per kind. */
export async function lookupNames(
  db: Kysely<Database>,
  mentions: {
    users: Set<string>;
    organizations: Set<string>;
    applications: Set<string>;
    resources: Set<string>;
  },
): Promise<Names> {
  const resources = await resourceNames(db, mentions.resources);
  for (const r of Object.values(resources)) mentions.organizations.add(r.providerId);
  const names = await identityNames(db, mentions);
  return { ...names, resources };
}

const text = (value: unknown) => (typeof value === 'string' ? [value] : []);

/** The names of the actors, organisations and resources a page of entries mentions (and ids in its data). */
export function entryNames(db: Kysely<Database>, entries: AuditEntryView[]): Promise<Names> {
  const mentions = {
    users: new Set<string>(),
    organizations: new Set<string>(),
    applications: new Set<string>(),
    resources: new Set<string>(),
  };
  for (const e of entries) {
    if (e.actor.kind === 'user') mentions.users.add(e.actor.id);
    if (e.actor.kind === 'application') mentions.applications.add(applicationOf(e.actor.id));
    if (e.actor.orgId) mentions.organizations.add(e.actor.orgId);
    for (const r of e.resources) mentions.resources.add(r);
    for (const u of text(e.data.userId)) mentions.users.add(u);
    for (const o of text(e.data.orgId)) mentions.organizations.add(o);
    for (const a of text(e.data.applicationId)) mentions.applications.add(a);
  }
  return lookupNames(db, mentions);
}
