import { type DetectOptions, detectPii } from './detect.js';
import type { Finding } from './kinds.js';
import { cellText } from './values.js';

/** The findings in one value of a stream of values. */
export interface ValueFindings {
  index: number;
  findings: Finding[];
}

/** Scans a stream of cell values one by one, yielding the values that hold findings. */
export async function* scanValues(
  values: Iterable<unknown> | AsyncIterable<unknown>,
  options: DetectOptions = {},
): AsyncGenerator<ValueFindings> {
  let index = 0;
  for await (const value of values) {
    const text = cellText(value);
    if (text) {
      const findings = detectPii(text, options);
      if (findings.length > 0) yield { index, findings };
    }
    index++;
  }
}
