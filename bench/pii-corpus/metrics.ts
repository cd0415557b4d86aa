import type { Finding, PiiKind } from '../../src/privacy/index.js';
import type { Label } from './corpus.js';

/** Per-kind counts of labels, hits and true positives. */
export interface KindCounts {
  labels: number;
  hits: number;
  truePositives: number;
}

/** Whether a finding and a label overlap by at least half of their union (IoU ≥ 0.5). */
export function matches(f: Finding, l: Label): boolean {
  if (f.kind !== l.kind) return false;
  const inter = Math.min(f.end, l.end) - Math.max(f.start, l.start);
  const union = Math.max(f.end, l.end) - Math.min(f.start, l.start);
  return inter > 0 && inter / union >= 0.5;
}

/** Adds one document's hits and labels to the per-kind counts. */
export function score(counts: Map<PiiKind, KindCounts>, hits: Finding[], labels: Label[]): void {
  const get = (k: PiiKind) => {
    let c = counts.get(k);
    if (!c) {
      c = { labels: 0, hits: 0, truePositives: 0 };
      counts.set(k, c);
    }
    return c;
  };
  const used = new Set<number>();
  for (const l of labels) get(l.kind).labels++;
  for (const f of hits) {
    const c = get(f.kind);
    c.hits++;
    const i = labels.findIndex((l, j) => !used.has(j) && matches(f, l));
    if (i >= 0) {
      used.add(i);
      c.truePositives++;
    }
  }
}

/** Formats a ratio with three decimals (— when undefined). */
export const ratio = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(3));
