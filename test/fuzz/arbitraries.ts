// What the fuzzer sends: path ids, query strings, bodies, content types and headers, from the
// plausible (a real id, a JSON object) to the hostile (`../`, 10,000-deep JSON, invalid UTF-8,
// right-to-left overrides, megabyte strings).
import fc from 'fast-check';

/** Strings that break naive code: traversal, encodings, control and bidi characters, huge ones. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    '%',
    '%E0%A4%A',
    '\u202Eevil',
    '😀',
    '𝕏'.repeat(100),
    '𠜎𠜱𠝹',
    'NaN',
    '-1',
    '1e309',
    '9'.repeat(40),
    'null',
    'undefined',
    '__proto__',
    'constructor',
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
    '${7*7}',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.integer().map(String),
);

/** A value for a path parameter (encoded by the caller). */
export const pathValue = nastyString;

/** A query string (without the `?`): known parameter names with hostile values, and random ones. */
export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'filter',
          'sort',
          'fields',
          'format',
          'bom',
          'q',
          'side',
          'index',
          'size',
          'from',
          'to',
          'type',
          'status',
          'orgId',
          'mode',
          'publish',
          'name',
          '__proto__',
        ),
        fc.string({ maxLength: 10 }),
      ),
      fc.oneof(
        nastyString,
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.integer({ min: -1e12, max: 1e12 }).map(String),
      ),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

const deep = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** A request body: its bytes and the Content-Type it is sent with (undefined: none). */
export interface FuzzBody {
  payload?: string | Buffer;
  contentType?: string;
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/x-ndjson',
  'application/vnd.apache.parquet',
  '*/*',
  'application/json, text/plain',
);

/** Bodies, from random JSON to hostile bytes. */
export const body: fc.Arbitrary<FuzzBody> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .jsonValue({ maxDepth: 4 })
      .map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
  },
  {
    weight: 2,
    arbitrary: fc
      .dictionary(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('__proto__', 'constructor', 'sql', 'name', 'items', 'values', 'from'),
        ),
        fc.jsonValue({ maxDepth: 3 }),
        { maxKeys: 6 },
      )
      .map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ payload: nastyString, contentType: fc.option(contentType, { nil: undefined }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      payload: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      contentType,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ payload: fc.jsonValue().map((v) => JSON.stringify(v)), contentType }),
  },
  { weight: 1, arbitrary: fc.constant<FuzzBody>({}) },
);

/** Bodies every route gets once per run: the extremes fast-check would rarely reach. */
export const EXTREME_BODIES: Array<[string, FuzzBody]> = [
  ['array nested 10,000 deep', { payload: deep(10_000, '[', ']'), contentType: 'application/json' }],
  ['object nested 10,000 deep', { payload: deep(10_000, '{"a":', '}'), contentType: 'application/json' }],
  [
    'object nested 10,000 deep under sql',
    { payload: `{"sql":${deep(10_000, '{"a":', '}')}}`, contentType: 'application/json' },
  ],
  [
    'a 900 KB string',
    {
      payload: JSON.stringify({ name: 'x'.repeat(900_000), sql: 'y'.repeat(900_000 / 9) }),
      contentType: 'application/json',
    },
  ],
  ['a 2 MB body', { payload: JSON.stringify({ x: 'z'.repeat(2_000_000) }), contentType: 'application/json' }],
  [
    '10,000 keys',
    {
      payload: JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
      contentType: 'application/json',
    },
  ],
  [
    'invalid UTF-8',
    {
      payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
      contentType: 'application/json',
    },
  ],
  [
    'UTF-16 with a BOM',
    { payload: Buffer.from('\uFEFF{"name":"汇通"}', 'utf16le'), contentType: 'application/json' },
  ],
  ['truncated JSON', { payload: '{"name": "汇', contentType: 'application/json' }],
  [
    'a lone surrogate',
    { payload: '{"name":"\\ud800","sql":"SELECT \\udfff"}', contentType: 'application/json' },
  ],
  [
    '__proto__ pollution',
    {
      payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
      contentType: 'application/json',
    },
  ],
  ['JSON as text/plain', { payload: '{"name":"x"}', contentType: 'text/plain' }],
  [
    'form-encoded',
    { payload: 'name=x&roles=platform_admin', contentType: 'application/x-www-form-urlencoded' },
  ],
  [
    'multipart without parts',
    { payload: '------x--\r\n', contentType: 'multipart/form-data; boundary=----x' },
  ],
  [
    'XML',
    {
      payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      contentType: 'application/xml',
    },
  ],
  ['CSV with a formula', { payload: '名称,代码\n=cmd|"/c calc"!A1,x\n', contentType: 'text/csv' }],
  ['an empty JSON body', { payload: '', contentType: 'application/json' }],
  ['an empty object', { payload: '{}', contentType: 'application/json' }],
  ['an empty array', { payload: '[]', contentType: 'application/json' }],
  ['null', { payload: 'null', contentType: 'application/json' }],
  [
    'a number too large',
    { payload: '{"limit": 1e400, "sampleSize": 1e400}', contentType: 'application/json' },
  ],
];

/** Headers a caller might send, hostile or not. */
export const headers = fc.record(
  {
    'accept-language': fc.constantFrom(
      'zh-CN',
      'en',
      'zh-CN,zh;q=0.9,en;q=0.8',
      '*',
      '',
      'x'.repeat(300),
      'zh-\u0000',
    ),
    'x-request-id': fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constantFrom('../../x', 'a'.repeat(64), 'a'.repeat(65)),
    ),
    accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html', 'application/x-ndjson', ''),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', '::1', 'not-an-ip', '1.2.3.4, 5.6.7.8'),
    'if-none-match': fc.constantFrom('*', '"x"', 'W/"x"'),
    range: fc.constantFrom('bytes=0-1', 'bytes=-1', 'bytes=9999999999-', 'lines=1'),
  },
  { requiredKeys: [] },
);

/** Credentials gone wrong: they must give 401, never a 5xx or someone else's identity. */
export const badAuthorization = fc.constantFrom(
  'Bearer',
  'Bearer ',
  'Bearer ht_',
  'Bearer ht_0000000000000000000000000000000000000000',
  `Bearer ${'x'.repeat(10_000)}`,
  'Basic YWRtaW46YWRtaW4=',
  'bearer ht_\u0000',
  'Bearer ht_😀',
);
