/**
 * Carrying one bit in a tolerant value (quantisation index modulation): the value moves to the
 * nearest point of its tolerance grid (multiples of the declared precision, or of the seconds
 * for a time) whose index has the bit's parity. It moves by at most one tolerance step, and the
 * bit is read back from the value alone — rounding to the tolerance, which keeps it on its grid,
 * does not erase it — so detection needs neither the source nor a copy of what was released.
 */

/** How a tolerant column is marked: a number ± its precision, or a time ± whole seconds. */
export interface Tolerance {
  kind: 'number' | 'time';
  /** The precision (numbers) or seconds (times), > 0. */
  step: number;
}

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const decimalsOf = (step: number) => {
  const text = String(step);
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.includes('.') ? text.split('.')[1]!.length : 0;
};

const parity = (k: number) => ((k % 2) + 2) % 2;

/** The grid index of `x` (in steps) with the given parity, nearest to it. */
function indexWith(x: number, bit: number): number {
  const low = Math.floor(x);
  const candidates = [low, low + 1].filter((k) => parity(k) === bit);
  return candidates[0]!;
}

interface ParsedTime {
  ms: number;
  render(ms: number): string;
}

function parseTime(text: string): ParsedTime | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, sep, h, mi, s, , zone] = m;
  // Wall-clock arithmetic (as if UTC): the offset is kept as written, so the grid is the file's own.
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(ms)) return null;
  return {
    ms,
    render(out) {
      const t = new Date(out).toISOString();
      return `${t.slice(0, 10)}${sep}${t.slice(11, 19)}${zone ?? ''}`;
    },
  };
}

/** A number, or a string written as one, as a number; NaN for anything else. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER.test(value) ? Number(value) : Number.NaN;
}

/** The value carrying `bit`, or the value itself when it is not one the tolerance applies to. */
export function embedBit(value: unknown, tolerance: Tolerance, bit: number): unknown {
  if (tolerance.kind === 'number') {
    const v = numberOf(value);
    if (!Number.isFinite(v)) return value;
    const dec = decimalsOf(tolerance.step);
    const text = (indexWith(v / tolerance.step, bit) * tolerance.step).toFixed(dec);
    return typeof value === 'number' ? Number(text) : text;
  }
  const stepMs = tolerance.step * 1000;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return value;
    return new Date(indexWith(value.getTime() / stepMs, bit) * stepMs);
  }
  if (typeof value !== 'string') return value;
  const parsed = parseTime(value);
  if (!parsed) return value;
  return parsed.render(indexWith(parsed.ms / stepMs, bit) * stepMs);
}

/** The bit a value carries (its grid index's parity), or null when it cannot carry one. */
export function readBit(value: unknown, tolerance: Tolerance): number | null {
  let x: number;
  if (tolerance.kind === 'number') {
    const v = numberOf(value);
    if (!Number.isFinite(v)) return null;
    x = v / tolerance.step;
  } else {
    const ms =
      value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? (parseTime(value)?.ms ?? NaN)
          : NaN;
    if (!Number.isFinite(ms)) return null;
    x = ms / (tolerance.step * 1000);
  }
  return parity(Math.round(x));
}
