import { kindFromColumnName } from './column-names.js';
import {
  ageHierarchy,
  dateHierarchy,
  prefixHierarchy,
  regionHierarchy,
  suppressOnly,
} from './hierarchies.js';
import type { MaskSpec } from './mask-spec.js';

/** The kinds of quasi-identifier (准标识符) the platform knows a generalisation hierarchy for. */
export type QuasiKind =
  | 'region'
  | 'age'
  | 'birth-date'
  | 'date'
  | 'gender'
  | 'occupation'
  | 'address'
  | 'ethnicity'
  | 'marital'
  | 'postcode'
  | 'other';

// Names that say region code, occupation or postcode; the others come from the column-name
// vocabulary of the classifier (gender, age, birth date, address, ethnicity, marital status).
const EXTRA: [QuasiKind, string[], RegExp][] = [
  [
    'region',
    ['区划', '行政区', '地区', '区域', '户籍地'],
    /^(xzqh|qh|qhdm|region|regioncode|areacode|district)$/,
  ],
  ['occupation', ['职业', '岗位', '工种'], /^(zy|zydm|occupation|job|profession)$/],
  ['postcode', ['邮编', '邮政编码'], /^(yb|yzbm|postcode|zipcode|zip)$/],
];

const FROM_CLASSIFIER: Record<string, QuasiKind> = {
  gender: 'gender',
  age: 'age',
  'birth-date': 'birth-date',
  address: 'address',
  ethnicity: 'ethnicity',
  marital: 'marital',
};

/** What an item's name, field and type say of it as a quasi-identifier; null when nothing. */
export function quasiKindOf(item: {
  name: string;
  field?: string | null;
  dataType?: string;
}): QuasiKind | null {
  const names = [item.name, item.field ?? ''].filter(Boolean);
  for (const [kind, words, codes] of EXTRA)
    if (names.some((n) => words.some((w) => n.includes(w)) || codes.test(n.toLowerCase()))) return kind;
  for (const n of names) {
    const found = kindFromColumnName(n);
    if (found && found.confidence >= 0.6 && FROM_CLASSIFIER[found.kind]) return FROM_CLASSIFIER[found.kind]!;
  }
  if (/^(date|datetime|D|T)$/i.test(item.dataType ?? '')) return 'date';
  return null;
}

/**
 * The generalisation hierarchy of a quasi-identifier kind, most specific first, suppression last:
 * region code → city → province; age → bands of 5, 10, 20 years; birth date → month → year →
 * 5- and 10-year bands; other dates → month → year; address → district; postcodes by prefix; the
 * rest (gender, occupation…) kept or suppressed.
 */
export function hierarchyOf(kind: QuasiKind): MaskSpec[] {
  switch (kind) {
    case 'region':
      return regionHierarchy();
    case 'age':
      return ageHierarchy();
    case 'birth-date':
      return [
        { kind: 'first', n: 7 },
        { kind: 'year' },
        { kind: 'year', width: 5 },
        { kind: 'year', width: 10 },
        { kind: 'suppress' },
      ];
    case 'date':
      return dateHierarchy();
    case 'address':
      return [{ kind: 'address' }, { kind: 'suppress' }];
    case 'postcode':
      return prefixHierarchy(6, [2, 4]);
    default:
      return suppressOnly();
  }
}
