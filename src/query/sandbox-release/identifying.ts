import type { PersonalKind } from '../../catalog/index.js';
import { detectPii, kindFromColumnName, type PiiKind } from '../../privacy/index.js';
import type { SecureView } from '../secure-view.js';

// Items whose values point at one person (标识类个人信息): by the catalog's class of personal
// information, or, for a personal item classed only as basic or other, by its name (姓名, 手机号…).
const IDENTIFYING_KINDS = new Set<PersonalKind>([
  'identity_document',
  'biometric',
  'bank_account',
  'communication',
]);
const IDENTIFYING_NAMES = new Set<string>([
  'id-number',
  'name',
  'mobile',
  'landline',
  'bank-card',
  'email',
  'passport',
  'plate',
  'address',
]);

/** The column names (lower-case) of the views' identifying items, as the SQL names them. */
export function identifyingColumns(views: Iterable<SecureView>): Set<string> {
  const names = new Set<string>();
  for (const view of views)
    for (const column of view.columns) {
      const item = view.resource.items.find((i) => i.name === column.item);
      if (!item?.personal && !item?.personalKind) continue;
      const byName = [item.name, item.field ?? ''].some((n) => {
        const found = n ? kindFromColumnName(n) : null;
        return found !== null && IDENTIFYING_NAMES.has(found.kind) && found.confidence >= 0.6;
      });
      if ((item.personalKind && IDENTIFYING_KINDS.has(item.personalKind)) || byName)
        names.add(column.name.toLowerCase());
    }
  return names;
}

// Kinds a detector finds with a check digit or a strict format: an answer carrying one carries
// an identifier, whatever column it came from.
const VALUE_KINDS: PiiKind[] = ['id-number', 'mobile', 'bank-card', 'passport', 'email'];

/** The kinds of personal identifier that text values of the rows look like (none: an empty list). */
export function identifierKinds(rows: unknown[][]): PiiKind[] {
  const found = new Set<PiiKind>();
  for (const row of rows)
    for (const value of row)
      if (typeof value === 'string')
        for (const finding of detectPii(value, { kinds: VALUE_KINDS, minConfidence: 0.8 }))
          found.add(finding.kind);
  return VALUE_KINDS.filter((kind) => found.has(kind));
}
