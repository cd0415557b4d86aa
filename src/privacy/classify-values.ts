import { ageOn, digitsAt } from './dates.js';
import { detectPii } from './detect.js';
import { looksLikeChineseName } from './detect-name.js';
import { HIT_CONFIDENCE, type PiiKind } from './kinds.js';
import { cellText } from './values.js';

/** What the sampled values of a column hold. */
export interface ValueProfile {
  sampled: number;
  nonEmpty: number;
  /** Share of non-empty values that are, as a whole, an identifier of the kind. */
  whole: Partial<Record<PiiKind, number>>;
  /** Share of non-empty values that contain an identifier of the kind inside other text. */
  embedded: Partial<Record<PiiKind, number>>;
  /** Whether some value (ID number or birth date) belongs to a child aged 14 or under. */
  children: boolean;
}

const ratio = (counts: Map<PiiKind, number>, n: number) =>
  Object.fromEntries([...counts].map(([k, c]) => [k, Math.round((c / n) * 1000) / 1000]));

function birthOf(kind: PiiKind, v: string): [number, number, number] | undefined {
  if (kind === 'id-number' && v.length === 18)
    return [digitsAt(v, 6, 4), digitsAt(v, 10, 2), digitsAt(v, 12, 2)];
  if (kind !== 'birth-date') return undefined;
  const m = /^(\d{4})\D?(\d{1,2})\D?(\d{1,2})/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Runs the detectors over sampled values; each value is cut to `maxLength` characters first. */
export function profileValues(
  values: readonly unknown[],
  maxLength: number,
  today: Date,
  hint?: PiiKind,
): ValueProfile {
  const whole = new Map<PiiKind, number>();
  const embedded = new Map<PiiKind, number>();
  let nonEmpty = 0;
  let children = false;
  for (const raw of values) {
    const text = cellText(raw)?.slice(0, maxLength).trim();
    if (!text) continue;
    nonEmpty++;
    // A date in a column named 出生日期 is a birth date: the name is the context the text lacks.
    const min = hint === 'birth-date' ? 0.2 : HIT_CONFIDENCE;
    const found = detectPii(text, { today, minConfidence: min }).filter(
      (f) => f.confidence >= HIT_CONFIDENCE || f.kind === hint,
    );
    const seen = new Set<PiiKind>();
    for (const f of found) {
      const covers = (f.end - f.start) / text.length >= 0.8;
      const into = covers ? whole : embedded;
      if (seen.has(f.kind)) continue;
      seen.add(f.kind);
      into.set(f.kind, (into.get(f.kind) ?? 0) + 1);
      const birth = covers ? birthOf(f.kind, f.value) : undefined;
      if (birth && ageOn(birth[0], birth[1], birth[2], today) <= 14) children = true;
    }
    if (found.length === 0 && looksLikeChineseName(text) >= 0.8)
      whole.set('name', (whole.get('name') ?? 0) + 1);
  }
  const n = Math.max(nonEmpty, 1);
  return { sampled: values.length, nonEmpty, whole: ratio(whole, n), embedded: ratio(embedded, n), children };
}
