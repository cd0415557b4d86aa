// The NATS JetStream channel's names and its stream per consumer organisation (see nats.ts).
import { type JetStreamManager, NatsError, nanos, StorageType } from 'nats';
import { ChannelError } from './types.js';

/**
 * A subject token for an org id or a resource code: letters, digits and `-` stay as they are; any
 * other character (`.`, `*`, `>`, spaces, `_` itself, non-ASCII) becomes `_` and the upper-case hex
 * of each of its UTF-8 bytes (`.` → `_2E`, `_` → `_5F`). The mapping is one-to-one, so two codes
 * never share a subject, and the project's ids pass unchanged: org ids are UUIDs, resource codes
 * upper-case letters, digits and dashes (`330000-ABC-001`).
 */
export function subjectToken(value: string): string {
  let token = '';
  for (const char of value) {
    if (/^[A-Za-z0-9-]$/.test(char)) token += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        token += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token || '_';
}

/** The subject of an organisation's events of a resource: `huitong.<org>.<resource>`. */
export function eventSubject(orgId: string, resourceCode: string): string {
  return `huitong.${subjectToken(orgId)}.${subjectToken(resourceCode)}`;
}

/** The subjects an organisation's stream holds: `huitong.<org>.>`. */
export function orgSubjects(orgId: string): string {
  return `huitong.${subjectToken(orgId)}.>`;
}

/**
 * An organisation's stream: `HUITONG_<ORG>`, the org's subject token upper-cased (stream names
 * take [A-Za-z0-9_-]). Org ids are UUIDs, which PostgreSQL writes in lower case, so upper-casing
 * keeps distinct organisations apart.
 */
export function streamName(orgId: string): string {
  return `HUITONG_${subjectToken(orgId).toUpperCase()}`;
}

/** What the platform sets on a stream it creates (an existing stream's limits are the operator's). */
export interface StreamLimits {
  /** How long messages stay (ms). */
  maxAgeMs: number;
  /** How long a message id is remembered for de-duplication (ms). */
  duplicateWindowMs: number;
}

// JetStream API error codes (nats-server errors.json) that no retry can fix.
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;
const NOT_RETRYABLE = new Set([
  10065, // subjects overlap with an existing stream
  10052, // invalid stream configuration
]);

/**
 * Makes sure the organisation's stream exists and holds its subjects: found and reused if
 * present (its subjects extended when they do not cover ours), created otherwise. A stream that
 * cannot hold them (another stream has these subjects) → ChannelError `nats_stream_conflict`,
 * not retryable; other failures are thrown as they are, for the caller to classify.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  orgId: string,
  limits: StreamLimits,
): Promise<string> {
  const name = streamName(orgId);
  const subject = orgSubjects(orgId);
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await jsm.streams.info(name);
      const subjects = info.config.subjects ?? [];
      if (!subjects.some((pattern) => covers(pattern, subject)))
        await jsm.streams.update(name, { ...info.config, subjects: [...subjects, subject] });
      return name;
    } catch (error) {
      if (apiCode(error) !== STREAM_NOT_FOUND) throw conflictOr(error, name);
    }
    try {
      await jsm.streams.add({
        name,
        subjects: [subject],
        storage: StorageType.File,
        max_age: nanos(limits.maxAgeMs),
        duplicate_window: nanos(limits.duplicateWindowMs),
        description: `Huitong subscriptions of organisation ${orgId}`,
      });
      return name;
    } catch (error) {
      // Another process created it meanwhile (with other limits): look again, once.
      if (apiCode(error) === STREAM_NAME_IN_USE && attempt === 0) continue;
      throw conflictOr(error, name);
    }
  }
}

/** The JetStream API error code of a failure, if it is one. */
export function apiCode(error: unknown): number | undefined {
  return error instanceof NatsError ? error.api_error?.err_code : undefined;
}

function conflictOr(error: unknown, name: string): unknown {
  const code = apiCode(error);
  if (code === undefined || !NOT_RETRYABLE.has(code)) return error;
  const reason = error instanceof NatsError ? (error.api_error?.description ?? error.message) : String(error);
  return new ChannelError(
    'nats_stream_conflict',
    `JetStream stream ${name} cannot be created: ${reason}`,
    false,
  );
}

/** Whether a subject pattern (with `*` and `>`) matches every subject of `subject` (`huitong.<org>.>`). */
function covers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return true;
    if (i >= s.length || s[i] === '>') return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
