/** A timestamp in the UI's language, or undefined for none. */
export function formatTime(iso: string | null | undefined, lang: string): string | undefined {
  if (!iso) return undefined;
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

/** A date (no time) in the UI's language. */
export function formatDate(iso: string | null | undefined, lang: string): string | undefined {
  if (!iso) return undefined;
  return new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN');
}

/** A number with thousands separators. */
export function formatNumber(value: number | null | undefined, lang: string): string {
  return value === null || value === undefined
    ? '—'
    : value.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');
}
