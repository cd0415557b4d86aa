import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import { type CanonicalValue, canonicalBytes } from './canonical-json.js';
import { asBuffer } from './hashes.js';

/** Who did something: a person, an application (应用) or the platform itself. */
export const AuditActorSchema = z.object({
  kind: z.enum(['user', 'application', 'system']),
  id: z.string().min(1).max(200),
  orgId: z.string().min(1).max(200).nullable(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** An event to log; `data` holds the event's own fields (integers only, no floats). */
export const AuditEventSchema = z.object({
  type: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'dotted lower-case words, e.g. data.release.start'),
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

/** An event checked and completed with its time, ready to be numbered. */
export interface PreparedEvent {
  type: string;
  actor: AuditActor;
  requestId: string | null;
  resources: string[];
  ref: number | null;
  data: Record<string, CanonicalValue>;
  time: string;
}

/** The logged form of entry `index`: version 1 of the entry format. */
export interface AuditEntry extends PreparedEvent {
  v: 1;
  index: number;
}

/** Validates an event and fixes its time; the data must serialise canonically (checked here, before the lock). */
export function prepareEvent(event: AuditEvent): PreparedEvent {
  const parsed = AuditEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new BadRequestError('invalid_audit_event', parsed.error.issues.map((i) => i.message).join('; '));
  }
  const { type, actor, requestId, resources, ref, data, time } = parsed.data;
  const prepared: PreparedEvent = {
    type,
    actor,
    requestId: requestId ?? null,
    resources: [...new Set(resources ?? [])].sort(),
    ref: ref ?? null,
    data: (data ?? {}) as Record<string, CanonicalValue>,
    time: (time ?? new Date()).toISOString(),
  };
  canonicalBytes(prepared);
  return prepared;
}

/** The canonical bytes of entry `index`: what the leaf hash covers. */
export function entryBytes(event: PreparedEvent, index: number): Buffer {
  const entry: AuditEntry = { v: 1, index, ...event };
  return canonicalBytes(entry);
}

/** Parses an entry's bytes back; throws on anything that is not an entry object. */
export function parseEntry(bytes: Uint8Array): AuditEntry {
  const value = JSON.parse(asBuffer(bytes).toString('utf8')) as AuditEntry;
  if (typeof value !== 'object' || value === null || value.v !== 1 || typeof value.index !== 'number') {
    throw new Error('not an audit entry');
  }
  return value;
}
