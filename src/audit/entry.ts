import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import { type CanonicalValue, canonicalJson } from './canonical-json.js';
import { asBuffer } from './hashes.js';

/** Who did something: a person, an application (应用) or the platform itself. */
export const AuditActorSchema = z.object({
  kind: z.enum(['user', 'application', 'system']),
  id: z.string().min(1).max(200),
  orgId: z.string().min(1).max(200).nullable(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** An event to log; `data` holds the event's own fields (integers only, no floats). */
export const AuditEventSchema = z.object({
  type: z.string().max(100).regex(TYPE_PATTERN, 'dotted lower-case words, e.g. data.release.start'),
  actor: AuditActorSchema,
  requestId: z.string().min(1).max(200).nullable().optional(),
  /** Catalogue resource codes the event concerns; searchable. */
  resources: z.array(z.string().min(1).max(200)).max(1000).optional(),
  /** The index of an earlier entry this one completes (a release's start). */
  ref: z.number().int().nonnegative().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  time: z.date().optional(),
});
export type AuditEvent = z.input<typeof AuditEventSchema>;

/** An event checked, timed and serialised but for its index, which only the lock holder knows. */
export interface PreparedEvent {
  type: string;
  actor: AuditActor;
  requestId: string | null;
  resources: string[];
  ref: number | null;
  time: string;
  /** Search tags: `type:…`, `actor:…`, `org:…`, `resource:…`. */
  tags: string[];
  /** Canonical JSON of the entry up to `"index":` and after the index. */
  head: string;
  tail: string;
}

/** The logged form of an entry: version 1 of the entry format. */
export interface AuditEntry {
  v: 1;
  index: number;
  type: string;
  actor: AuditActor;
  requestId: string | null;
  resources: string[];
  ref: number | null;
  time: string;
  data: Record<string, CanonicalValue>;
}

/** Whether a string has a control character (below U+0020), which no identifier may carry. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20) return true;
  return false;
}

function text(value: unknown, field: string, max: number, nullable = false): string | null {
  if (nullable && (value === null || value === undefined)) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max || hasControl(value)) {
    throw new BadRequestError(
      'invalid_audit_event',
      `${field} must be 1–${max} characters without control characters`,
    );
  }
  return value;
}

/** The search tags of an entry: what investigators filter by. */
export function entryTags(e: Pick<AuditEntry, 'type' | 'actor' | 'resources'>): string[] {
  const tags = [`type:${e.type}`, `actor:${e.actor.kind}:${e.actor.id}`];
  if (e.actor.orgId !== null) tags.push(`org:${e.actor.orgId}`);
  for (const r of e.resources) tags.push(`resource:${r}`);
  return tags;
}

/**
 * Validates an event (by hand: this runs for every append, and AuditEventSchema is the
 * documented shape) and serialises it canonically, so that a bad event fails its caller alone
 * and the work left under the writer's lock is a string concatenation.
 */
export function prepareEvent(event: AuditEvent): PreparedEvent {
  if (typeof event !== 'object' || event === null)
    throw new BadRequestError('invalid_audit_event', 'an event is an object');
  const type = text(event.type, 'type', 100)!;
  if (!TYPE_PATTERN.test(type))
    throw new BadRequestError('invalid_audit_event', 'type must be dotted lower-case words');
  const a = event.actor;
  if (typeof a !== 'object' || a === null || !['user', 'application', 'system'].includes(a.kind)) {
    throw new BadRequestError('invalid_audit_event', 'actor.kind must be user, application or system');
  }
  const actor: AuditActor = {
    kind: a.kind,
    id: text(a.id, 'actor.id', 200)!,
    orgId: text(a.orgId, 'actor.orgId', 200, true),
  };
  const requestId = text(event.requestId, 'requestId', 200, true);
  if (event.resources !== undefined && (!Array.isArray(event.resources) || event.resources.length > 1000)) {
    throw new BadRequestError('invalid_audit_event', 'resources must be a list of at most 1000 codes');
  }
  const resources = [...new Set((event.resources ?? []).map((r) => text(r, 'resources[]', 200)!))].sort();
  const ref = event.ref ?? null;
  if (ref !== null && (!Number.isSafeInteger(ref) || ref < 0))
    throw new BadRequestError('invalid_audit_event', 'ref must be an entry index');
  if (event.time !== undefined && !(event.time instanceof Date && Number.isFinite(event.time.getTime()))) {
    throw new BadRequestError('invalid_audit_event', 'time must be a valid Date');
  }
  const data = event.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadRequestError('invalid_audit_event', 'data must be an object');
  }
  const time = (event.time ?? new Date()).toISOString();
  // Keys in canonical (sorted) order: actor, data | index | ref, requestId, resources, time, type, v.
  const head = `{"actor":${canonicalJson(actor)},"data":${canonicalJson(data)},"index":`;
  const tail = `,"ref":${ref},"requestId":${canonicalJson(requestId)},"resources":${canonicalJson(resources)},"time":"${time}","type":${canonicalJson(type)},"v":1}`;
  return {
    type,
    actor,
    requestId,
    resources,
    ref,
    time,
    tags: entryTags({ type, actor, resources }),
    head,
    tail,
  };
}

/** The canonical bytes of an event logged as entry `index`: what the leaf hash covers. */
export function entryBytes(event: PreparedEvent, index: number): Buffer {
  return Buffer.from(`${event.head}${index}${event.tail}`, 'utf8');
}

/** Parses an entry's bytes back; throws on anything that is not an entry object. */
export function parseEntry(bytes: Uint8Array): AuditEntry {
  return parseEntryText(asBuffer(bytes).toString('utf8'));
}

/** Parses an entry's text (its bytes decoded as UTF-8); throws on anything that is not an entry object. */
export function parseEntryText(text: string): AuditEntry {
  const value = JSON.parse(text) as AuditEntry;
  if (typeof value !== 'object' || value === null || value.v !== 1 || typeof value.index !== 'number') {
    throw new Error('not an audit entry');
  }
  return value;
}

/**
 * The index an entry's bytes declare, found without parsing: in canonical form the top-level
 * `"index":` follows `data` and nothing after it holds an object, and a quote inside a string is
 * always escaped, so the last unescaped `"index":` is the top-level one.
 */
export function declaredIndex(text: string): number | undefined {
  const at = text.lastIndexOf('"index":');
  if (at < 0) return undefined;
  const match = /^\d+/.exec(text.slice(at + 8, at + 30));
  return match ? Number(match[0]) : undefined;
}
