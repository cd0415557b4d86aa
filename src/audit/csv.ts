import type { AuditEntryView } from './queries.js';

/** The columns of an entry CSV. */
export const ENTRY_CSV_COLUMNS = [
  'index',
  'time',
  'type',
  'actor_kind',
  'actor_id',
  'actor_org_id',
  'request_id',
  'resources',
  'ref',
  'data',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A text
 * starting with = + - @ or a tab gets a leading apostrophe so spreadsheets do not run it as a formula.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** One entry as a CSV record; resources are joined with ';' and the event's own fields are JSON. */
export function entryCsvRow(entry: AuditEntryView): string {
  return csvRow([
    entry.index,
    entry.time,
    entry.type,
    entry.actor.kind,
    entry.actor.id,
    entry.actor.orgId,
    entry.requestId,
    entry.resources.join(';'),
    entry.ref,
    JSON.stringify(entry.data),
  ]);
}

/** Entries as CSV text (UTF-8 with a BOM, so Excel reads Chinese correctly), streamed line by line. */
export async function* entriesCsv(
  entries: AsyncIterable<AuditEntryView> | Iterable<AuditEntryView>,
): AsyncGenerator<string> {
  yield `\uFEFF${csvRow(ENTRY_CSV_COLUMNS)}`;
  for await (const entry of entries) yield entryCsvRow(entry);
}
