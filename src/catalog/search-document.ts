import type { StoredItem } from '../store/index.js';
import { documentTokens } from './tokenize.js';

/** The texts of a resource that search reads, by how much a match in each counts. */
export interface SearchTexts {
  name: string;
  tags: string[];
  keywords: string[];
  summary: string;
  classificationName: string;
  items: StoredItem[];
  providerName: string;
}

// tsvector positions stop at 16383; a resource's text never needs more.
const MAX_POSITION = 16_383;

/**
 * The resource's search document as tsvector text: our own tokens (see tokenize.ts), each with
 * positions weighted A (name), B (tags, keywords), C (summary, classification) or D (items,
 * provider). Built in JS so that PGlite and PostgreSQL index exactly the same lexemes.
 */
export function searchDocument(t: SearchTexts): string {
  const parts: Array<[string, string]> = [
    ['A', t.name],
    ['B', [...t.tags, ...t.keywords].join(' ')],
    ['C', `${t.summary} ${t.classificationName}`],
    ['D', `${t.items.map((i) => `${i.name} ${i.field ?? ''} ${i.description}`).join(' ')} ${t.providerName}`],
  ];
  const positions = new Map<string, string[]>();
  let position = 0;
  for (const [weight, text] of parts) {
    for (const token of documentTokens(text)) {
      if (position >= MAX_POSITION) break;
      position += 1;
      const list = positions.get(token) ?? [];
      list.push(`${position}${weight}`);
      positions.set(token, list);
    }
  }
  return [...positions].map(([token, at]) => `'${token.replaceAll("'", "''")}':${at.join(',')}`).join(' ');
}
