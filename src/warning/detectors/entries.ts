import { type AuditActor, type AuditEntryView, presentEntryText } from '../../audit/index.js';

// A cross-node read is released by the provider's pipeline; on the consumer's node what its
// application received is the receipt entry, whole (its rows, the remote resource): a pull of
// another node's data counts towards the same baselines as a local one.
/** Entry types that start a release: a request for data, counted once. */
const REQUESTS = new Set(['data.release', 'data.release.start', 'federation.receipt']);
/** Entry types that say what a release delivered (rows). */
const DELIVERIES = new Set(['data.release', 'data.release.complete', 'federation.receipt']);
/** Entry types that hold a release's details and rows in one entry. */
export const WHOLE_RELEASES = new Set(['data.release', 'federation.receipt']);

/**
 * An entry as the detectors see it: parsed once, its time parsed once (`at`, `ms`) and its
 * consumer named once, whichever detectors look at it.
 */
export interface SeenEntry extends AuditEntryView {
  at: Date;
  ms: number;
  consumer: string;
}

/** Parses an entry read as text (`entryText`) for the detectors. */
export function seeEntry(text: string): SeenEntry {
  const entry = presentEntryText(text) as SeenEntry;
  entry.at = new Date(entry.time);
  entry.ms = entry.at.getTime();
  entry.consumer = consumerOf(entry.actor);
  return entry;
}

/** Whether an entry is a request for data (a release, whole or its start). */
export function isRequest(entry: AuditEntryView): boolean {
  return REQUESTS.has(entry.type);
}

/** Whether an entry accounts for delivered rows. */
export function isDelivery(entry: AuditEntryView): boolean {
  return DELIVERIES.has(entry.type);
}

/**
 * The consumer behind an actor: an application (whichever of its keys), or a person. Baselines
 * and windows are per consumer, so that rotating keys does not reset them.
 */
export function consumerOf(actor: AuditActor): string {
  if (actor.kind === 'application') return `application:${actor.id.split('/')[0]}`;
  return `${actor.kind}:${actor.id}`;
}

/** A number field of an entry's data, or undefined. */
export function numberField(entry: AuditEntryView, name: string): number | undefined {
  const value = entry.data[name];
  return typeof value === 'number' ? value : undefined;
}

/** A string field of an entry's data, or undefined. */
export function stringField(entry: AuditEntryView, name: string): string | undefined {
  const value = entry.data[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const SHANGHAI_MS = 8 * 3_600_000;

/** The hour of the day in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiHour(time: Date): number {
  return new Date(time.getTime() + SHANGHAI_MS).getUTCHours();
}

/** The hour of the week in Asia/Shanghai, 0 (Monday 00:00) to 167. */
export function hourOfWeek(time: Date): number {
  const local = new Date(time.getTime() + SHANGHAI_MS);
  return ((local.getUTCDay() + 6) % 7) * 24 + local.getUTCHours();
}

/** Whether an hour of the day lies in [start, end), the range wrapping past midnight when start > end. */
export function inHours(hour: number, start: number, end: number): boolean {
  return start <= end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** A release's delivered rows, with the entry holding its details (itself, or its start). */
export interface Delivered {
  details: AuditEntryView;
  rows: number;
}
