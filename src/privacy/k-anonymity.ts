import { PrivacyError } from './errors.js';
import { applyMask, type MaskContext } from './mask-js.js';
import type { MaskSpec } from './mask-spec.js';
import { cellText } from './values.js';

/** A table row: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

/** One equivalence class: the (generalised) quasi-identifier values and how many rows share them. */
export interface EquivalenceClass {
  values: Record<string, string | null>;
  size: number;
}

/** How anonymous a table is over its quasi-identifiers. */
export interface KAnonymityReport {
  rowCount: number;
  /** The size of the smallest equivalence class; null for an empty table. */
  k: number | null;
  classCount: number;
  /** The smallest classes, smallest first (at most `limit`). */
  smallest: EquivalenceClass[];
}

const SEP = '\u0001';

/** Groups row indexes by the tuple of their (already generalised) quasi-identifier values. */
export function equivalenceClasses(
  columns: readonly (readonly (string | null)[])[],
  rowCount: number,
): Map<string, number[]> {
  const classes = new Map<string, number[]>();
  for (let r = 0; r < rowCount; r++) {
    let key = '';
    for (const col of columns) {
      const v = col[r];
      key += v === null || v === undefined ? `\u0000${SEP}` : v + SEP;
    }
    const list = classes.get(key);
    if (list) list.push(r);
    else classes.set(key, [r]);
  }
  return classes;
}

/** The quasi-identifier values of every row, optionally generalised by one mask per column. */
export function quasiColumns(
  rows: readonly Row[],
  columns: readonly string[],
  masks?: readonly MaskSpec[],
  context: MaskContext = {},
): (string | null)[][] {
  return columns.map((c, i) => {
    const mask = masks?.[i];
    return rows.map((row) => (mask ? applyMask(mask, row[c], context) : cellText(row[c])));
  });
}

/** How many rows a class stands for: its members, or the sum of their weights (grouped rows). */
export function classSize(members: readonly number[], weights?: readonly number[]): number {
  if (!weights) return members.length;
  let size = 0;
  for (const m of members) size += weights[m]!;
  return size;
}

/**
 * Measures k-anonymity: k is the size of the smallest class of rows sharing all quasi-identifiers.
 * With `weights`, each row stands for that many rows (a tuple with its count, as a GROUP BY
 * returns it), so that a large table is measured from its distinct tuples.
 */
export function kAnonymity(
  rows: readonly Row[],
  columns: readonly string[],
  options: {
    masks?: readonly MaskSpec[];
    limit?: number;
    context?: MaskContext;
    weights?: readonly number[];
  } = {},
): KAnonymityReport {
  if (columns.length === 0)
    throw new PrivacyError('invalid_argument', 'k-anonymity needs at least one quasi-identifier');
  const values = quasiColumns(rows, columns, options.masks, options.context);
  const size = (members: number[]) => classSize(members, options.weights);
  const classes = [...equivalenceClasses(values, rows.length).values()]
    .map((members) => ({ members, size: size(members) }))
    .sort((a, b) => a.size - b.size);
  const smallest = classes.slice(0, options.limit ?? 10).map(({ members, size }) => ({
    values: Object.fromEntries(columns.map((c, i) => [c, values[i]![members[0]!]!])),
    size,
  }));
  const rowCount = options.weights
    ? classSize(
        rows.map((_, i) => i),
        options.weights,
      )
    : rows.length;
  return { rowCount, k: classes[0]?.size ?? null, classCount: classes.length, smallest };
}
