import { createHmac } from 'node:crypto';
import type { AuditActor } from '../audit/index.js';
import type { Actor } from '../identity/index.js';

/**
 * Who a delivery's marks name: the application (whatever key it used) or the person. Keys are
 * rotated and an application's several keys are one recipient; an anonymous reader of open data
 * is no one in particular, so open data carries no marks.
 */
export function recipientOf(actor: Actor): string | null {
  if (actor.kind === 'application') return `app:${actor.applicationId}`;
  if (actor.kind === 'user') return `user:${actor.userId}`;
  return null;
}

/** The recipient of a release entry (its actor as the audit log names it). */
export function recipientOfEntry(actor: AuditActor): string | null {
  if (actor.kind === 'application') return `app:${actor.id.split('/')[0]}`;
  if (actor.kind === 'user') return `user:${actor.id}`;
  return null;
}

/**
 * The trace secret, derived from the credentials key (HUITONG_SECRET_KEY or secret.key) so that
 * one backed-up key serves sources, held answers, masks and marks; a leaked mark key reveals
 * nothing else it protects.
 */
export const traceSecretFrom = (credentialsKey: Buffer): Buffer =>
  createHmac('sha256', credentialsKey).update('huitong trace marks v1').digest();
