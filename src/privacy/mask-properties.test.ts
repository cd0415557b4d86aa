import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MaskEngine, openMaskEngines } from '../../test/support/mask-engines.js';
import { DEFAULT_MASKS } from './default-masks.js';
import { applyMask } from './mask-js.js';
import type { MaskSpec } from './mask-spec.js';
import { PROVINCE_FULL_NAMES } from './regions.js';
import { COMPOUND_SURNAMES } from './surnames.js';

// "Masks hide": for every mask, the output is what docs/privacy.md says the mask keeps and
// nothing more. Each mask has an oracle written from that table (it reads only the parts the
// mask keeps) and twins: values that differ only in what the mask hides, which must mask alike.
// The same properties are checked on the JS masks (fast-check, many runs) and on the SQL masks
// run in DuckDB, PostgreSQL and MariaDB (a fixed sample, in one query per mask and database).

const SEED = 20260413;
// Fewer under mutation testing (MASK_PROPERTY_RUNS), where every surviving mutant runs them all.
const JS_RUNS = Number(process.env.MASK_PROPERTY_RUNS ?? 400);
const SQL_RUNS = Math.min(250, JS_RUNS);
const KEY = 'k3y-汇通-secret';
const STARS = (n: number) => '*'.repeat(n);
const cps = (v: string) => Array.from(v);

// ---- Values: Chinese, mixed and ASCII text, and the shapes the masks care about.

// The sub-district characters (docs/privacy.md): a kept address prefix holds none of them.
const BELOW = cps('街道路巷弄镇乡村号栋幢室层院苑园社组小校厂片');

const han = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
// Characters the masks treat specially: suffixes, sub-district words, surnames, digits.
const special = fc.constantFrom(...cps('省市区县旗盟州街道路号镇乡村小楼欧阳司马张李福建鼓台江年月日-/ '));
const ascii = fc.constantFrom(...cps('0123456789azAZ.-_:@#'));
const other = fc.constantFrom('😀', 'é', 'ß', '\n', "'", '\\', '·', '，', '１');
const chinese = fc.string({ unit: fc.oneof(han, special), maxLength: 24 });
const mixed = fc.string({ unit: fc.oneof(han, special, ascii, other), maxLength: 24 });
const plain = fc.string({ maxLength: 24 }); // printable ASCII
const digits = fc.string({ unit: fc.constantFrom(...cps('0123456789')), minLength: 1, maxLength: 20 });
const dates = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .chain(({ y, m, d }) => {
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    return fc.constantFrom(
      `${p(y, 4)}-${p(m, 2)}-${p(d, 2)}`,
      `${p(y, 4)}${p(m, 2)}${p(d, 2)}`,
      `${p(y, 4)}年${m}月${d}日`,
      `${p(y, 4)}`,
      `${p(y, 4)}${p(m, 2)}`,
    );
  });
const ages = fc.integer({ min: -5, max: 1200 }).map(String);
const surname = fc.oneof(fc.constantFrom(...cps('张王李赵欧司')), fc.constantFrom(...COMPOUND_SURNAMES));
const names = fc.tuple(surname, fc.string({ unit: han, maxLength: 3 })).map(([s, g]) => s + g);

// Address parts whose names hold no suffix or sub-district character, so the expected prefix is known.
const placeChar = fc.constantFrom(
  ...cps(
    '福鼓楼台仓晋安马尾长乐闽侯连罗源平潭永泰思明湖集美海沧翔同朝淀丰东西浦黄徐汇静天河越秀白云南宁青兴州',
  ),
);
const placeName = (min: number, max: number) =>
  fc.string({ unit: placeChar, minLength: min, maxLength: max });
const province = fc.oneof(
  fc.constant(''),
  fc.constantFrom(...PROVINCE_FULL_NAMES.filter((p) => /[省市]$/.test(p))),
);
const city = fc.oneof(
  fc.constant(''),
  placeName(2, 4).map((n) => `${n}市`),
);
const district = fc.tuple(placeName(1, 4), fc.constantFrom('区', '县', '旗')).map(([n, s]) => n + s);
const street = fc
  .tuple(placeName(1, 4), fc.constantFrom('路', '街', '大道', '巷'), fc.integer({ min: 1, max: 999 }))
  .map(([n, s, no]) => `${n}${s}${no}号`);
const tail = fc.tuple(street, fc.oneof(fc.constant(''), fc.constantFrom('3栋201室', '万达小区', '附近')));
/** A clean address: its district prefix is province + city + district. */
const addresses = fc.record({ province, city, district, tail }).map((a) => ({
  value: a.province + a.city + a.district + a.tail.join(''),
  kept: a.province + a.city + a.district,
}));
/** An address with a county-level city (福清市) and no district: kept when a unit comes before. */
const countyCities = fc
  .record({ province, city, county: placeName(2, 3).map((n) => `${n}市`), tail })
  .map((a) => ({
    value: a.province + a.city + a.county + a.tail.join(''),
    kept: a.province || a.city ? a.province + a.city + a.county : '',
  }));

/** A sub-district word before a district-level suffix (福州市五四路鼓楼区, 福清市万达小区): never kept past it. */
const skipping = fc
  .tuple(
    province,
    city,
    placeName(0, 2),
    fc.constantFrom(...BELOW),
    placeName(0, 2),
    fc.constantFrom('区', '县', '旗', '市'),
    tail,
  )
  .map(([p, c, a, below, b, suffix, t]) => p + c + a + below + b + suffix + t.join(''));

/** One address per sub-district character, the character between the city and the district. */
const SKIPS = BELOW.map((c) => ({ value: `福建省福州市五四${c}鼓楼区8号`, kept: '福建省福州市' }));

const values: fc.Arbitrary<string> = fc.oneof(
  skipping,
  chinese,
  mixed,
  plain,
  digits,
  dates,
  ages,
  names,
  addresses.map((a) => a.value),
  countyCities.map((a) => a.value),
);

// ---- What each mask keeps (docs/privacy.md, table "Masks").

const compound = new Set(COMPOUND_SURNAMES);
const HAN_ONLY = /^[\u4e00-\u9fff]+$/u;

function keepEnds(v: string, first: number, last: number, stars: number): string {
  const c = cps(v);
  if (c.length <= first + last) return STARS(stars);
  return c.slice(0, first).join('') + STARS(stars) + (last ? c.slice(-last).join('') : '');
}
function band(n: number, width: number): string {
  const lo = n - (n % width);
  return width === 1 ? String(lo) : `${lo}-${lo + width - 1}`;
}
function yearOf(v: string, width: number): string | null {
  const m = /^([0-9]{4})(?:$|[^0-9]|[0-9]{4}$)/.exec(v);
  return m ? (width === 1 ? m[1]! : band(Number(m[1]), width)) : null;
}

/** The output a mask must give, from the documented kept part only; undefined: checked by `shape`. */
function oracle(spec: MaskSpec, v: string): string | null | undefined {
  switch (spec.kind) {
    case 'none':
      return v;
    case 'redact':
      return '***';
    case 'suppress':
      return '*';
    case 'null':
      return null;
    case 'hmac':
      return createHmac('sha256', KEY).update(v, 'utf8').digest('hex');
    case 'first':
      return keepEnds(v, spec.n, 0, 3);
    case 'last':
      return keepEnds(v, 0, spec.n, 3);
    case 'keep':
      return keepEnds(v, spec.first, spec.last, 3);
    case 'id-number':
      return keepEnds(v, 6, 4, 8);
    case 'mobile':
      return keepEnds(v, 3, 4, 4);
    case 'bank-card':
      return keepEnds(v, 0, 4, 12);
    case 'name': {
      const c = cps(v);
      if (c.length <= 1) return '*';
      return `${c.length > 2 && compound.has(c[0]! + c[1]!) ? c[0]! + c[1]! : c[0]!}*`;
    }
    case 'year':
      return yearOf(v, spec.width ?? 1);
    case 'age-band': {
      if (!/^[0-9]{1,3}$/.test(v)) return null;
      const age = Number(v);
      return spec.top !== undefined && age >= spec.top ? `${spec.top}+` : band(age, spec.width);
    }
    case 'region':
      if (!/^[0-9]{6}$/.test(v)) return null;
      return spec.level === 'city' ? `${v.slice(0, 4)}00` : `${v.slice(0, 2)}0000`;
    case 'address':
      return undefined;
  }
}

/** What an address mask may give: *** or a district-level prefix of the value and ***. */
function addressShape(v: string, out: string | null): string | null {
  if (out === '***') return null;
  if (out === null || !out.endsWith('***')) return `not *** nor prefix***: ${out}`;
  const kept = out.slice(0, -3);
  if (!v.startsWith(kept)) return `${kept} is not a prefix of the value`;
  if (!HAN_ONLY.test(kept)) return `${kept} holds more than Chinese characters`;
  if (!/[区县旗市]$/.test(kept)) return `${kept} does not end at a district`;
  if (BELOW.some((c) => kept.includes(c))) return `${kept} goes below the district`;
  const units = cps(kept.slice(0, -1)).filter((c) => '省市盟'.includes(c)).length;
  if (units > 2) return `${kept} has ${units} units before its district`;
  if (kept.endsWith('市') && units === 0) return `${kept} is a city without a unit before it`;
  return null;
}

/** A value that must mask like `v` (it differs only in what the mask hides), from random `r`. */
function twin(spec: MaskSpec, v: string, r: string, n: number): string | undefined {
  const c = cps(v);
  const filler = r === '' ? '某' : r;
  switch (spec.kind) {
    case 'redact':
    case 'suppress':
    case 'null':
      return r;
    case 'first':
    case 'last':
    case 'keep':
    case 'id-number':
    case 'mobile':
    case 'bank-card': {
      const [first, last] =
        spec.kind === 'first'
          ? [spec.n, 0]
          : spec.kind === 'last'
            ? [0, spec.n]
            : spec.kind === 'keep'
              ? [spec.first, spec.last]
              : ({ 'id-number': [6, 4], mobile: [3, 4], 'bank-card': [0, 4] } as const)[spec.kind];
      if (c.length <= first + last)
        return cps(r)
          .slice(0, first + last)
          .join('');
      return c.slice(0, first).join('') + filler + (last ? c.slice(-last).join('') : '');
    }
    case 'name': {
      if (c.length <= 1) return cps(r).slice(0, 1).join('');
      const kept = oracle(spec, v)!.slice(0, -1);
      const t = kept + filler;
      return kept.length === 1 && cps(t).length > 2 && compound.has(t.slice(0, 2)) ? undefined : t;
    }
    case 'year': {
      const y = yearOf(v, 1);
      return y === null ? `x${r}` : `${y}-${r}`;
    }
    case 'age-band': {
      if (!/^[0-9]{1,3}$/.test(v)) return `x${r}`;
      const age = Number(v);
      if (spec.top !== undefined && age >= spec.top) return String(spec.top + (n % (1000 - spec.top)));
      const lo = age - (age % spec.width);
      const t = lo + (n % spec.width);
      return t < 1000 && (spec.top === undefined || t < spec.top) ? String(t) : undefined;
    }
    case 'region':
      if (!/^[0-9]{6}$/.test(v)) return `x${r}`;
      return (
        v.slice(0, spec.level === 'city' ? 4 : 2) +
        String(n % 10 ** (spec.level === 'city' ? 2 : 4)).padStart(spec.level === 'city' ? 2 : 4, '0')
      );
    case 'address':
      // Whatever follows a sub-district word or a digit is never kept.
      return v + BELOW[n % BELOW.length]! + r;
    default:
      return undefined;
  }
}

// Every mask kind, with its parameters at their edges, and every default.
const SPECS: MaskSpec[] = [
  { kind: 'none' },
  { kind: 'redact' },
  { kind: 'null' },
  { kind: 'suppress' },
  { kind: 'hmac' },
  { kind: 'first', n: 0 },
  { kind: 'first', n: 1 },
  { kind: 'first', n: 7 },
  { kind: 'last', n: 0 },
  { kind: 'last', n: 4 },
  { kind: 'keep', first: 0, last: 0 },
  { kind: 'keep', first: 2, last: 1 },
  { kind: 'id-number' },
  { kind: 'mobile' },
  { kind: 'bank-card' },
  { kind: 'name' },
  { kind: 'year' },
  { kind: 'year', width: 10 },
  { kind: 'year', width: 7 },
  { kind: 'age-band', width: 1 },
  { kind: 'age-band', width: 10, top: 90 },
  { kind: 'age-band', width: 7 },
  { kind: 'region', level: 'city' },
  { kind: 'region', level: 'province' },
  { kind: 'address' },
];
const label = (s: MaskSpec) => JSON.stringify(s);

/** Why `out` is not what `spec` may give for `v`; null when it is. */
function violation(spec: MaskSpec, v: string, out: string | null): string | null {
  const expected = oracle(spec, v);
  if (expected !== undefined) return out === expected ? null : `expected ${expected}, got ${out}`;
  return addressShape(v, out);
}

describe('masks hide: the output keeps only what the mask documents (JS)', () => {
  it('every default mask is among the masks checked here, and none shows a value in clear', () => {
    const checked = new Set(SPECS.map(label));
    for (const [kind, spec] of Object.entries(DEFAULT_MASKS)) {
      expect(checked.has(label(spec)), kind).toBe(true);
      expect(['none', 'first', 'last', 'keep'], kind).not.toContain(spec.kind);
    }
  });

  for (const spec of SPECS) {
    it(`${label(spec)} over Chinese, mixed and ASCII text`, () => {
      fc.assert(
        fc.property(values, fc.string({ unit: fc.oneof(han, ascii), maxLength: 12 }), fc.nat(), (v, r, n) => {
          expect(violation(spec, v, applyMask(spec, v, { hmacKey: KEY })), v).toBeNull();
          const t = twin(spec, v, r, n);
          if (t !== undefined)
            expect(applyMask(spec, t, { hmacKey: KEY }), `${v} / ${t}`).toBe(
              applyMask(spec, v, { hmacKey: KEY }),
            );
        }),
        { seed: SEED, numRuns: JS_RUNS },
      );
    });
  }

  it('an address keeps exactly its province, city and district', () => {
    fc.assert(
      fc.property(fc.oneof(addresses, countyCities), ({ value, kept }) => {
        expect(applyMask({ kind: 'address' }, value)).toBe(kept ? `${kept}***` : '***');
      }),
      { seed: SEED, numRuns: JS_RUNS },
    );
    for (const { value, kept } of SKIPS)
      expect(applyMask({ kind: 'address' }, value), value).toBe(`${kept}***`);
  });

  it('NULL stays NULL under every mask', () => {
    for (const spec of SPECS) expect(applyMask(spec, null, { hmacKey: KEY }), label(spec)).toBeNull();
  });
});

describe('masks hide: the same properties on the SQL masks in DuckDB, PostgreSQL and MariaDB', () => {
  let engines: MaskEngine[] = [];
  // One fixed sample for all masks, and each mask's twins (of every other value), loaded once.
  const base = fc.sample(values, { seed: SEED, numRuns: SQL_RUNS });
  const clean = [...fc.sample(fc.oneof(addresses, countyCities), { seed: SEED + 1, numRuns: 60 }), ...SKIPS];
  const randoms = fc.sample(fc.string({ unit: fc.oneof(han, ascii), maxLength: 12 }), {
    seed: SEED + 2,
    numRuns: base.length,
  });
  const inputs: (string | null)[] = [null, ...base, ...clean.map((a) => a.value)];
  const pairs = new Map<MaskSpec, [number, number][]>();
  for (const spec of SPECS) {
    const own: [number, number][] = [];
    base.forEach((v, i) => {
      const t = i % 2 === 0 ? twin(spec, v, randoms[i]!, i * 7919) : undefined;
      if (t !== undefined) own.push([i + 1, inputs.push(t) - 1]);
    });
    pairs.set(spec, own);
  }

  beforeAll(async () => {
    engines = await openMaskEngines();
    for (const engine of engines) await engine.load(inputs);
  }, 120_000);
  afterAll(async () => {
    for (const e of engines) await e.close();
  });

  for (const spec of SPECS) {
    it(`${label(spec)}`, async () => {
      for (const engine of engines) {
        const out = await engine.mask(spec, KEY);
        expect(out[0], `${engine.dialect}: NULL`).toBeNull();
        // Twins of other masks are values like any other: every output is checked.
        const wrong = inputs
          .map((v, i) => (v === null ? null : violation(spec, v, out[i]!)))
          .map((why, i) => (why ? `${JSON.stringify(inputs[i])}: ${why}` : null))
          .filter(Boolean);
        expect(wrong, engine.dialect).toEqual([]);
        const unlike = pairs
          .get(spec)!
          .filter(([a, b]) => out[a] !== out[b])
          .map(([a, b]) => [inputs[a], inputs[b], out[a], out[b]]);
        expect(unlike, engine.dialect).toEqual([]);
        if (spec.kind === 'address') {
          const start = 1 + base.length;
          expect(
            clean.map((_, i) => out[start + i]),
            engine.dialect,
          ).toEqual(clean.map((a) => (a.kept ? `${a.kept}***` : '***')));
        }
      }
    });
  }
});
