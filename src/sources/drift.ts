import type { ColumnType, DescribedColumn } from './types.js';

/** A column a binding expects. */
export interface ExpectedColumn {
  name: string;
  type: ColumnType;
}

/** How a source has drifted from what a binding expects. */
export interface Drift {
  /** Expected columns the source no longer has. */
  missing: string[];
  /** Expected columns whose normalised type changed at the source. */
  retyped: { name: string; expected: ColumnType; actual: ColumnType; nativeType: string }[];
  /** Whether anything is missing or retyped (new columns at the source are not drift). */
  drifted: boolean;
}

/**
 * Compares the columns a catalog binding expects with what the source describes now. Types are
 * compared normalised (varchar(20) → varchar(40) is not drift; text → integer is). A bound
 * resource with drift must be reported, not served.
 */
export function detectDrift(expected: ExpectedColumn[], described: DescribedColumn[]): Drift {
  const now = new Map(described.map((c) => [c.name, c]));
  const missing: string[] = [];
  const retyped: Drift['retyped'] = [];
  for (const column of expected) {
    const actual = now.get(column.name);
    if (!actual) missing.push(column.name);
    else if (actual.type !== column.type)
      retyped.push({
        name: column.name,
        expected: column.type,
        actual: actual.type,
        nativeType: actual.nativeType,
      });
  }
  return { missing, retyped, drifted: missing.length > 0 || retyped.length > 0 };
}
