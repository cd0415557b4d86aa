// Cells arrive from sources as any JS value; detectors and masks see text.

/** The text of a cell for detection and masking: null for SQL NULL, else a string. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (value instanceof Uint8Array) return new TextDecoder('utf-8').decode(value);
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}
