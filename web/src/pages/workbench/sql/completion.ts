import type { SqlTable } from './sql-schema.js';

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'JOIN',
  'LEFT JOIN',
  'ON',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'COUNT(*)',
  'SUM(',
  'AVG(',
  'DISTINCT',
  'AS',
  'AND',
  'OR',
  'DESC',
];

export interface Completion {
  /** The text that replaces the word being typed. */
  text: string;
  /** What it is: a table alias, a resource code, a column (with its item name) or a keyword. */
  kind: 'alias' | 'code' | 'column' | 'keyword';
  detail?: string;
}

/** The word ending at the caret: letters, digits, _, Chinese, dots and a leading quote. */
export function wordBefore(text: string, caret: number): string {
  return /["\w\u4e00-\u9fff.-]*$/.exec(text.slice(0, caret))?.[0] ?? '';
}

/**
 * What may complete `word`: aliases, quoted resource codes, columns (after `alias.`, that
 * table's only) and keywords, by prefix, at most 12.
 */
export function complete(word: string, tables: SqlTable[]): Completion[] {
  if (!word) return [];
  const dot = word.lastIndexOf('.');
  if (dot > 0) {
    const alias = word.slice(0, dot);
    const prefix = word.slice(dot + 1).toLowerCase();
    const table = tables.find((t) => t.alias === alias);
    return (table?.columns ?? [])
      .filter((c) => c.name.toLowerCase().startsWith(prefix) || c.label.startsWith(prefix))
      .slice(0, 12)
      .map((c) => ({ text: `${alias}.${c.name}`, kind: 'column', detail: c.label }));
  }
  const lower = word.toLowerCase().replace(/^"/, '');
  const out: Completion[] = [];
  for (const t of tables) {
    if (t.alias.startsWith(lower)) out.push({ text: t.alias, kind: 'alias', detail: t.name });
    if (t.code.toLowerCase().startsWith(lower) || t.name.startsWith(lower))
      out.push({ text: `"${t.code}"`, kind: 'code', detail: t.name });
  }
  const seen = new Set<string>();
  for (const t of tables)
    for (const c of t.columns)
      if ((c.name.toLowerCase().startsWith(lower) || c.label.startsWith(lower)) && !seen.has(c.name)) {
        seen.add(c.name);
        out.push({ text: c.name, kind: 'column', detail: `${c.label} · ${t.alias}` });
      }
  for (const k of KEYWORDS) if (k.toLowerCase().startsWith(lower)) out.push({ text: k, kind: 'keyword' });
  return out.filter((c) => c.text !== word).slice(0, 12);
}
