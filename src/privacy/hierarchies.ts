import type { MaskSpec } from './mask-spec.js';

// Generalisation hierarchies for the k-anonymity search: level 0 is the value in clear, each
// next level a coarser mask, the last one suppression. Each level is a mask, so the chosen
// generalisation can be enforced in SQL by the same builders.

/** A quasi-identifier and its generalisation hierarchy (most specific first). */
export interface QuasiIdentifier {
  column: string;
  hierarchy: readonly MaskSpec[];
}

/** Ages in bands of widening width (5, 10, 20 by default), then suppressed. */
export function ageHierarchy(widths: readonly number[] = [5, 10, 20], top?: number): MaskSpec[] {
  return [
    ...widths.map((width): MaskSpec => ({ kind: 'age-band', width, ...(top === undefined ? {} : { top }) })),
    { kind: 'suppress' },
  ];
}

/** GB/T 2260 region codes: district → city → province → suppressed. */
export function regionHierarchy(): MaskSpec[] {
  return [{ kind: 'region', level: 'city' }, { kind: 'region', level: 'province' }, { kind: 'suppress' }];
}

/** ISO dates: year and month → year → suppressed. */
export function dateHierarchy(): MaskSpec[] {
  return [{ kind: 'first', n: 7 }, { kind: 'year' }, { kind: 'suppress' }];
}

/** Codes generalised by hiding trailing characters (postcodes): `steps` levels, then suppressed. */
export function prefixHierarchy(length: number, steps: readonly number[]): MaskSpec[] {
  return [
    ...steps.map((hide): MaskSpec => ({ kind: 'first', n: Math.max(0, length - hide) })),
    { kind: 'suppress' },
  ];
}

/** A quasi-identifier that can only be kept or suppressed (gender, ethnicity). */
export function suppressOnly(): MaskSpec[] {
  return [{ kind: 'suppress' }];
}
