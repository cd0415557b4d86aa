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
