import { z } from 'zod';
import { AuditQuerySchema } from '../../audit/index.js';
import { NotFoundError } from '../../errors/index.js';
import type { AuthenticatedActor } from '../../identity/index.js';

/** The filters of an entry search (and of the releases summary). */
export const EntryFilterSchema = z.strictObject({
  from: z.coerce.number().int().min(0).optional().describe('first index, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('last index, exclusive'),
  type: z.string().max(100).optional(),
  actorId: z.string().max(200).optional(),
  orgId: z.string().max(200).optional(),
  resource: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
export type EntryFilter = z.infer<typeof EntryFilterSchema>;

/** Auditors see every entry; an organisation administrator only those of its own organisation. */
export function scopedQuery(actor: AuthenticatedActor, filter: EntryFilter) {
  const ownOnly = !actor.roles.includes('auditor');
  if (ownOnly && filter.orgId && filter.orgId !== actor.orgId) throw new NotFoundError('Organisation');
  return AuditQuerySchema.parse({
    type: filter.type,
    actorId: filter.actorId,
    orgId: ownOnly ? actor.orgId : filter.orgId,
    resource: filter.resource,
    from: filter.since,
    to: filter.until,
  });
}
