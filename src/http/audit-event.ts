import type { FastifyRequest } from 'fastify';
import type { AuditActor, AuditLog } from '../audit/index.js';
import type { Actor } from '../identity/index.js';

/** The audit log's view of an actor. */
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

/**
 * Logs a security-relevant event of a request (login, key, grant, policy change…) and waits for
 * it to be durable, so that a change is never acknowledged without its entry.
 */
export async function recordEvent(
  audit: AuditLog,
  request: FastifyRequest,
  type: string,
  data: Record<string, string | number | boolean | null | string[]> = {},
  options: { actor?: AuditActor; resources?: string[] } = {},
): Promise<void> {
  await audit.append({
    type,
    actor: options.actor ?? auditActorOf(request.actor),
    requestId: String(request.id),
    resources: options.resources,
    data: { ip: request.ip, ...data },
  });
}
