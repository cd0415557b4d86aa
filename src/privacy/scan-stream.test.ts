import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectPiiInBytes } from './decode.js';
import { detectPii } from './detect.js';
import { createPiiScanner, scanPiiStream } from './scan-stream.js';
import { scanValues } from './scan-values.js';

const today = new Date('2025-06-01T00:00:00Z');
const piece = [
  '联系人张三电话13812345678，',
  '身份证11010519491231002X。',
  '住址福建省福州市鼓楼区五四路123号。',
  '邮箱 a.b@example.com ',
  '卡号6222021234567890128；',
  '今天天气很好，我们去公园散步。',
  '车牌京A12345 ',
  '服务器 10.0.0.1 ',
  '12345678901234567890',
];

function chunked(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(text.slice(at, at + n));
    at += n;
  }
  return out;
}

describe('streaming scanner', () => {
  it('finds exactly what a whole-text scan finds, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: piece.length - 1 }), { minLength: 1, maxLength: 6000 }),
        fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 }),
        (picks, sizes) => {
          const text = picks.map((i) => piece[i]).join('');
          const scanner = createPiiScanner({ today });
          const found = chunked(text, sizes).flatMap((c) => scanner.push(c));
          found.push(...scanner.end());
          expect(found).toEqual(detectPii(text, { today }));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('decodes UTF-8 bytes split inside characters, and fails clearly on invalid bytes', async () => {
    const bytes = new TextEncoder().encode(piece.join('').repeat(3000));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1001) }, (_, i) =>
      bytes.subarray(i * 1001, (i + 1) * 1001),
    );
    const found = [];
    for await (const f of scanPiiStream(chunks, { today })) found.push(f);
    expect(found).toEqual(detectPii(piece.join('').repeat(3000), { today }));
    const bad = async () => {
      for await (const _ of scanPiiStream([new Uint8Array([0x41, 0xc3, 0x28])])) void _;
    };
    await expect(bad()).rejects.toMatchObject({ code: 'invalid_utf8' });
  });

  it('scans a stream of values, whatever their types', async () => {
    const values = [
      null,
      13812345678,
      '无',
      'zhang@example.com',
      new Date('2020-01-01'),
      { phone: '13912345678' },
      undefined,
    ];
    const out = [];
    for await (const v of scanValues(values, { today, minConfidence: 0.5 }))
      out.push([v.index, v.findings.map((f) => f.kind)]);
    expect(out).toEqual([
      [1, ['mobile']],
      [3, ['email']],
      [5, ['mobile']],
    ]);
  });
});

describe('bad input', () => {
  it('reports invalid UTF-8 as a result with the offset, or decodes leniently on request', () => {
    const bytes = new Uint8Array([0xe6, 0xb1, 0x89, 0xff, 0x31]);
    expect(detectPiiInBytes(bytes)).toMatchObject({ ok: false, code: 'invalid_utf8', offset: 3 });
    expect(detectPiiInBytes(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ ok: false, offset: 0 }); // a surrogate
    expect(detectPiiInBytes(new Uint8Array([0xc0, 0xaf]))).toMatchObject({ ok: false, offset: 0 }); // overlong
    expect(detectPiiInBytes(bytes, { lenient: true })).toEqual({ ok: true, findings: [] });
    expect(detectPiiInBytes(new TextEncoder().encode('手机13812345678'))).toMatchObject({
      ok: true,
      findings: [{ kind: 'mobile' }],
    });
  });

  it('survives binary garbage and huge cells', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        for (const f of detectPii(s)) expect(s.slice(f.start, f.end)).toBe(f.value);
      }),
      { numRuns: 300 },
    );
    const huge = `${'数据共享'.repeat(2_500_000)}手机13812345678，${'9'.repeat(1_000_000)}`;
    expect(detectPii(huge).map((f) => f.kind)).toEqual(['mobile']);
    expect(detectPii('')).toEqual([]);
  });
});
