import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markPlan, markRow } from './mark.js';
import { accuse, leakedBits, type Observation } from './score.js';
import { scoreTerm, TardosCode } from './tardos.js';
import { readBit, type Tolerance } from './values.js';

const SECRET = Buffer.alloc(32, 7);
const AMOUNT: Tolerance = { kind: 'number', step: 0.01 };
const SEEN: Tolerance = { kind: 'time', step: 60 };

const cell = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc.boolean(),
);

describe('marking', () => {
  it('never alters a column that is not marked tolerant (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.string({ minLength: 1 }),
        (rows, tolerant, keyIndex, recipient) => {
          const columns = tolerant
            .filter((i) => i !== keyIndex)
            .map((index) => ({ index, item: `c${index}`, tolerance: index % 2 ? AMOUNT : SEEN }));
          const plan = markPlan(SECRET, 'r1', recipient, keyIndex, columns);
          const marked = new Set(columns.map((c) => c.index));
          for (const row of rows) {
            const out = markRow(plan, row);
            expect(out).toHaveLength(row.length);
            row.forEach((value, i) => {
              if (!marked.has(i)) expect(out[i]).toBe(value);
            });
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('moves a tolerant value by at most its tolerance, and the bit survives rounding to it', () => {
    const plan = markPlan(SECRET, 'r1', 'app:a', 0, [{ index: 1, item: '金额', tolerance: AMOUNT }]);
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.string({ minLength: 1 }), (v, key) => {
        const out = markRow(plan, [key, v])[1] as number;
        expect(Math.abs(out - v)).toBeLessThanOrEqual(0.01 + 1e-6);
        const rounded = Math.round(out * 100) / 100;
        expect(readBit(rounded, AMOUNT)).toBe(readBit(out, AMOUNT));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a numeric string’s form and a time’s format, within the tolerance', () => {
    const plan = markPlan(SECRET, 'r1', 'app:a', 0, [
      { index: 1, item: '金额', tolerance: AMOUNT },
      { index: 2, item: '时间', tolerance: SEEN },
    ]);
    const [, amount, time] = markRow(plan, ['k1', '1234.567', '2024-03-01 12:30:15']);
    expect(amount).toMatch(/^\d+\.\d{2}$/);
    expect(Math.abs(Number(amount) - 1234.567)).toBeLessThanOrEqual(0.01);
    expect(time).toMatch(/^2024-03-01 12:(29|30|31):00$/);
  });
});

describe('tracing a leak (pure)', () => {
  const ROWS = 3000;
  const recipients = Array.from({ length: 40 }, (_, i) => `app:${i}`);
  const copyOf = (recipient: string) => {
    const plan = markPlan(SECRET, 'r1', recipient, 0, [
      { index: 1, item: '金额', tolerance: AMOUNT },
      { index: 2, item: '时间', tolerance: SEEN },
    ]);
    return Array.from({ length: ROWS }, (_, r) =>
      markRow(plan, [`k${r}`, (r * 37.77) % 10_000, new Date(Date.UTC(2024, 0, 1, 0, r)).toISOString()]),
    );
  };
  const observe = (rows: unknown[][]): Observation[] =>
    rows.flatMap((row) => [
      { rowKey: String(row[0]), item: '金额', value: row[1], tolerance: AMOUNT },
      { rowKey: String(row[0]), item: '时间', value: row[2], tolerance: SEEN },
    ]);

  it('names the one leaker of 10 % of its copy, and nobody else', () => {
    const copy = copyOf('app:7');
    const leak = copy.filter((_, i) => i % 10 === 3).reverse();
    const result = accuse(SECRET, 'r1', leakedBits(SECRET, 'r1', observe(leak)), recipients);
    expect(result.accusations[0]!.recipient).toBe('app:7');
    expect(result.accusations[0]!.innocentProbability).toBeLessThan(1e-9);
    expect(result.accusations.filter((a) => a.accused).map((a) => a.recipient)).toEqual(['app:7']);
  });

  it('names colluders who interleave their copies, and no innocent', () => {
    const copies = ['app:3', 'app:11', 'app:25'].map(copyOf);
    const leak = copies[0]!.map((_, r) => copies[r % 3]![r]!).filter((_, r) => r % 4 === 0);
    const result = accuse(SECRET, 'r1', leakedBits(SECRET, 'r1', observe(leak)), recipients);
    expect(['app:3', 'app:11', 'app:25']).toContain(result.accusations[0]!.recipient);
    for (const a of result.accusations.filter((a) => a.accused))
      expect(['app:3', 'app:11', 'app:25']).toContain(a.recipient);
  });

  it('scores as the definition does, term by term, however often it traces (the kept code changes nothing)', () => {
    const copies = ['app:5', 'app:9'].map(copyOf);
    const leak = copies[0]!.map((_, r) => copies[r % 2]![r]!).filter((_, r) => r % 7 === 0);
    const bits = leakedBits(SECRET, 'r1', observe(leak));
    const odd = recipients.slice(0, 39); // not a multiple of four
    const first = accuse(SECRET, 'r1', bits, odd);
    expect(accuse(SECRET, 'r1', bits, odd)).toEqual(first);
    const fresh = new TardosCode(SECRET, 'r1');
    for (const a of first.accusations) {
      const word = fresh.codeword(a.recipient);
      let score = 0;
      for (const [i, y] of bits) score += scoreTerm(word[i]!, y, fresh.bias(i));
      expect(a.score).toBe(score);
    }
  });

  it('accuses nobody on unmarked data', () => {
    const leak = Array.from({ length: 500 }, (_, r) => [`k${r}`, r * 1.5, '2024-01-01T00:00:00Z']);
    const result = accuse(SECRET, 'r1', leakedBits(SECRET, 'r1', observe(leak)), recipients);
    expect(result.accusations.filter((a) => a.accused)).toEqual([]);
  });
});
