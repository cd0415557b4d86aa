/** One event remembered by a window: when, which entry, and what it was about. */
interface Mark {
  at: number;
  index: number;
  value: string;
}

/**
 * Recent events per key (a caller, an address, a grant), forgotten once older than the window:
 * the in-memory state of the windowed detectors, rebuilt by replay after a restart.
 */
export class SlidingWindow {
  private readonly marks = new Map<string, Mark[]>();

  /** Adds an event and drops those older than `windowMs` before it; returns the key's events (until the next add). */
  add(key: string, at: Date, index: number, windowMs: number, value = ''): readonly Mark[] {
    const now = at.getTime();
    let list = this.marks.get(key);
    if (!list) {
      list = [];
      this.marks.set(key, list);
    }
    // A key's marks are in time order (each add drops any later than itself, then appends): the
    // old ones are a prefix. Only when the log's time goes back are later marks dropped.
    if (list.length > 0 && list.at(-1)!.at > now) {
      list = list.filter((m) => m.at <= now);
      this.marks.set(key, list);
    }
    let old = 0;
    while (old < list.length && list[old]!.at <= now - windowMs) old++;
    if (old > 0) list.splice(0, old);
    list.push({ at: now, index, value });
    if (this.marks.size > 50_000) this.sweep(now - windowMs);
    return list;
  }

  /** Forgets every key whose last event is older than `before` (bounds memory). */
  private sweep(before: number): void {
    for (const [key, list] of this.marks) if ((list.at(-1)?.at ?? 0) <= before) this.marks.delete(key);
  }
}

/** The distinct values of a window's events, and the first entry of each. */
export function distinct(marks: readonly { index: number; value: string }[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const m of marks) if (!seen.has(m.value)) seen.set(m.value, m.index);
  return seen;
}
