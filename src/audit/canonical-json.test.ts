import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units at every depth and drops undefined members', () => {
    expect(
      canonicalJson({ b: 1, a: [true, null, { d: 'x', c: -0 }], é: 2, '\u{1F600}': 3, z: undefined }),
    ).toBe('{"a":[true,null,{"c":0,"d":"x"}],"b":1,"é":2,"😀":3}');
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16 order.
    expect(canonicalJson({ '\uFB01': 1, '\u{1F600}': 2 })).toBe('{"😀":2,"ﬁ":1}');
  });

  it('escapes strings as RFC 8785 does', () => {
    expect(canonicalJson('a"\\\n\u0001\u2028中')).toBe('"a\\"\\\\\\n\\u0001\u2028中"');
    expect(canonicalJson('\uD800')).toBe('"\\ud800"');
    expect(canonicalBytes({ 名: '汇通' }).toString('utf8')).toBe('{"名":"汇通"}');
  });

  it('rejects floats, unsafe integers and values JSON cannot carry', () => {
    expect(() => canonicalJson({ rows: 1.5 })).toThrow(/\$\.rows.*floats/);
    expect(() => canonicalJson([2 ** 53])).toThrow(/safe integer/);
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ at: new Date() })).toThrow(/plain objects/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
  });
});

describe('entry serialisation', () => {
  it('builds the same bytes as canonicalising the whole entry, and finds the top-level index', async () => {
    const { entryBytes, prepareEvent, declaredIndex, parseEntry } = await import('./entry.js');
    const event = prepareEvent({
      type: 'data.release',
      actor: { kind: 'user', id: 'u"1', orgId: null },
      requestId: 'r',
      resources: ['B', 'A', 'B'],
      data: { index: 99, nested: { index: 98 }, text: '"index":97' },
      time: new Date('2026-01-02T03:04:05.006Z'),
    });
    const bytes = entryBytes(event, 1234);
    const entry = parseEntry(bytes);
    expect(bytes.toString('utf8')).toBe(canonicalJson(entry));
    expect(entry).toMatchObject({
      v: 1,
      index: 1234,
      resources: ['A', 'B'],
      ref: null,
      time: '2026-01-02T03:04:05.006Z',
    });
    expect(declaredIndex(bytes.toString('utf8'))).toBe(1234);
    expect(() => prepareEvent({ type: 'x', actor: { kind: 'user', id: 'a\u0001', orgId: null } })).toThrow(
      /control/,
    );
    expect(() =>
      prepareEvent({ type: 'x', actor: { kind: 'robot' as 'user', id: 'a', orgId: null } }),
    ).toThrow(/kind/);
  });
});
