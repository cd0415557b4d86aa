import { z } from 'zod';
import { type AuditLog, summarizeReleases } from '../../audit/index.js';
import { authorize } from '../../identity/index.js';
import type { Store } from '../../store/index.js';
import type { App } from '../types.js';
import { lookupNames } from './audit-names.js';
import { EntryFilterSchema, scopedQuery } from './audit-scope.js';
import { refusals } from './schemas.js';

const named = z.string().nullable().describe('the name, null when the record is gone');

const SummaryRowSchema = z.object({
  recipient: z.object({
    kind: z.string().describe('application (an API key’s application) or user (the console)'),
    id: z.string(),
    name: named,
    orgId: z.string().nullable(),
    orgName: named,
  }),
  provider: z.object({ id: z.string().nullable(), name: named }),
  resource: z.object({ code: z.string(), name: named }),
  items: z.array(z.string()).describe('信息项 released at least once'),
  releases: z.number().int(),
  completed: z.number().int(),
  rows: z.number().int(),
  first: z.string(),
  last: z.string(),
});

/** "Who received what from whom": releases summed by recipient and resource, named. */
export async function auditReleaseRoutes(app: App, { store }: { audit: AuditLog; store: Store }) {
  app.get(
    '/api/v1/audit/releases/summary',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Releases (data.release entries) grouped by recipient (application or person, with organisation), provider and resource: counts, delivered rows, first and last (auditors; organisation administrators: what their organisation received)',
        querystring: EntryFilterSchema.pick({
          orgId: true,
          resource: true,
          since: true,
          until: true,
        }).strict(),
        response: { 200: z.object({ items: z.array(SummaryRowSchema) }), ...refusals },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, 'audit.read');
      const query = scopedQuery(actor, request.query);
      const rows = await summarizeReleases(store.db, {
        orgId: query.orgId,
        resource: query.resource,
        from: query.from,
        to: query.to,
      });
      const names = await lookupNames(store.db, {
        users: new Set(rows.filter((r) => r.recipient.kind === 'user').map((r) => r.recipient.id)),
        applications: new Set(
          rows.filter((r) => r.recipient.kind === 'application').map((r) => r.recipient.id),
        ),
        organizations: new Set(rows.flatMap((r) => (r.recipient.orgId ? [r.recipient.orgId] : []))),
        resources: new Set(rows.map((r) => r.resource)),
      });
      const nameOf = (kind: string, id: string) =>
        (kind === 'user' ? names.users[id] : kind === 'application' ? names.applications[id] : undefined) ??
        null;
      return {
        items: rows.map((r) => {
          const resource = names.resources[r.resource];
          return {
            recipient: {
              ...r.recipient,
              name: nameOf(r.recipient.kind, r.recipient.id),
              orgName: r.recipient.orgId ? (names.organizations[r.recipient.orgId] ?? null) : null,
            },
            provider: {
              id: resource?.providerId ?? null,
              name: resource ? (names.organizations[resource.providerId] ?? null) : null,
            },
            resource: { code: r.resource, name: resource?.name ?? null },
            items: r.items,
            releases: r.releases,
            completed: r.completed,
            rows: r.rows,
            first: r.first,
            last: r.last,
          };
        }),
      };
    },
  );
}
