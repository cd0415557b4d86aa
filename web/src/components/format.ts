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

/** A size in bytes in human units (1024-based: 字节/bytes, KB, MB, GB, TB). */
export function formatBytes(bytes: number | null | undefined, lang: string): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} ${lang === 'en' ? 'bytes' : '字节'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}
