import type { AuditActor } from '../audit/index.js';
import type { Actor } from '../identity/index.js';

/** The audit log's view of the caller. */
export function auditActorOf(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', id: actor.userId, orgId: actor.orgId };
    case 'application':
      return { kind: 'application', id: `${actor.applicationId}/${actor.keyId}`, orgId: actor.orgId };
    default:
      return { kind: 'system', id: 'anonymous', orgId: null };
  }
}
