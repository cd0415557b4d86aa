// The text a demand is searched by (需求清单检索): lower-cased, so that `ilike` on it needs no
// function index and behaves the same on PGlite and PostgreSQL.

/** The searchable text of a demand. */
export function demandSearchDoc(fields: {
  title: string;
  description: string;
  purpose: string;
  items: { name: string; description: string }[];
}): string {
  return [
    fields.title,
    fields.description,
    fields.purpose,
    ...fields.items.flatMap((i) => [i.name, i.description]),
  ]
    .join('\n')
    .toLowerCase();
}

/** The words of a search, each to be found: split on blanks, at most eight, `%` and `_` taken literally. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
