// How the audit screens name what entries mention: event types in the UI language, people,
// organisations, applications and resources by name (the id or code when the record is gone).
import type { AuditEntry, AuditNames } from '../../api/audit.js';
import { auditEvents } from '../../i18n/audit-events.js';
import type { Lang } from '../../i18n/index.js';

type EventType = keyof typeof auditEvents.zh;

/** The event type's name, or the type itself for one this console does not know. */
export function eventName(type: string, lang: Lang): string {
  const names = lang === 'en' ? auditEvents.en : auditEvents.zh;
  return names[type as EventType] ?? type;
}

/** Every event type with its name, sorted by name, for the type filter. */
export function eventOptions(lang: Lang): { value: string; label: string }[] {
  const names = lang === 'en' ? auditEvents.en : auditEvents.zh;
  return Object.entries(names)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}

export const EMPTY_NAMES: AuditNames = { users: {}, organizations: {}, applications: {}, resources: {} };

/** Who acted: a person's name, an application's name, a visitor, or the platform. */
export function actorName(
  actor: AuditEntry['actor'],
  names: AuditNames,
  platform: string,
  visitor = platform,
): string {
  if (actor.kind === 'system' && actor.id === 'anonymous') return visitor;
  if (actor.kind === 'user') return names.users[actor.id] ?? actor.id;
  if (actor.kind === 'application') {
    const application = actor.id.split('/')[0]!;
    return names.applications[application] ?? application;
  }
  return platform;
}

/** An organisation's name, or its id. */
export const orgName = (id: string | null, names: AuditNames) => (id ? (names.organizations[id] ?? id) : '—');

/** A resource's name (its code when unknown). */
export const resourceName = (code: string, names: AuditNames) => names.resources[code]?.name ?? code;
