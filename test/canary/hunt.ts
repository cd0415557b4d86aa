// The requests of the canary hunt, and the hunt itself: every data route in every format, the SQL
// corpus and hostile casts and functions, verification, open data, the catalog's views, sources'
// scans and previews, the platform's own listings and error answers — each as the consumer's key,
// analyst and steward and as nobody. Shared by canary-hunt.test.ts (seed-fixed) and `npm run fuzz`.
import { CORPUS, type CorpusCase } from '../sql-corpus/corpus.js';
import { Decoder } from './collect.js';
import type { CanaryWorld, HuntPersona } from './world.js';

/** One request of the hunt. */
export interface HuntRequest {
  label: string;
  persona: HuntPersona;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** A canary found in an answer. */
export interface Leak {
  canary: string;
  secret: string;
  request: string;
  status: number;
  /** The answer's text around the secret, so that a report shows where it was found. */
  around?: string;
}

const FORMATS = ['json', 'ndjson', 'csv', 'xlsx', 'parquet', 'arrow'] as const;
const PERSONAS: HuntPersona[] = ['key', 'analyst', 'steward', 'anonymous'];

// Functions and casts whose run-time errors can quote the value they choke on, by class.
const QUOTING: Record<string, Array<(col: string) => string>> = {
  cast: [
    (c) => `CAST(${c} AS INTEGER)`,
    (c) => `CAST(${c} AS DATE)`,
    (c) => `${c}::TIMESTAMP`,
    (c) => `${c}::UUID`,
    (c) => `${c}::BOOLEAN`,
    (c) => `${c}::DECIMAL(10,2)`,
    (c) => `${c}::INTERVAL`,
    (c) => `${c}::JSON`,
    (c) => `${c}::BLOB::INTEGER`,
    (c) => `${c}::VARCHAR::BIGINT`,
  ],
  json: [(c) => `json_extract(${c}, '$.a')`],
  'date parsing': [(c) => `strptime(${c}, '%Y-%m-%d')`],
  regex: [(c) => `regexp_matches('x', ${c})`],
  list: [(c) => `[${c}][5]`],
  formatting: [(c) => `printf('%d', ${c})`, (c) => `format('{:d}', ${c})`],
  struct: [(c) => `{'a': ${c}}.b`],
  map: [(c) => `map([${c}], [1])['nope']`],
};
const COLUMNS = ['xm', 'sfzh', 'sjhm', 'yhkh', 'jkzk', 'zz', 'bz'];

/** Whether a corpus case reaches the sandbox (allowed, or refused at run time): each costs a child process. */
function reachesSandbox(c: CorpusCase): boolean {
  if ('allowed' in c.expect) return true;
  return 'refused' in c.expect && [c.expect.refused].flat().some((code) => code.startsWith('query_'));
}

/**
 * The corpus cases the hunt sends. The fuzz run (`thorough`) sends every one; `npm test` sends,
 * per category, one in fifteen of the cases that reach the sandbox (at least one: a child process each,
 * about a second) and a third of those the guard refuses (milliseconds each), the sample turning
 * with the seed. Time and memory bombs are left to the corpus' own test, which bounds them.
 */
export function corpusSample(seed: number, thorough = false): CorpusCase[] {
  const cases = CORPUS.filter((c) => !('bounded' in c.expect));
  if (thorough) return cases;
  const categories = [...new Set(cases.map((c) => c.category))];
  return categories.flatMap((category) => {
    const group = cases.filter((c) => c.category === category);
    const costly = group.filter(reachesSandbox);
    const cheap = group.filter((c) => !reachesSandbox(c));
    const sample = costly.filter((_, j) => (j + seed) % 15 === 0);
    if (sample.length === 0 && costly.length > 0) sample.push(costly[seed % costly.length]!);
    return [...sample, ...cheap.filter((_, j) => (j + seed) % 3 === 0)];
  });
}

/**
 * Hostile SQL beyond the corpus: run-time errors quoting values, channels other than rows. Each
 * quoting function runs on every column when `thorough` (the fuzz run), otherwise on one column
 * chosen by the seed, so that `npm test` stays quick and the fuzz runs cover the rest.
 */
export function hostileSql(world: CanaryWorld, thorough = false): string[] {
  const c = world.codes;
  const all = "xm || '|' || sfzh || '|' || sjhm || '|' || yhkh || '|' || jkzk || '|' || zz || '|' || bz";
  const path = world.otherFilePath;
  const seed = world.book.seed;
  // Thorough: every function on every column. Otherwise one function of each class (two casts) on
  // a column, both chosen by the seed.
  const quoting = Object.values(QUOTING).flatMap((fns, i) => {
    if (thorough) return fns.flatMap((f) => COLUMNS.map((col) => `SELECT ${f(col)} FROM people`));
    const picked =
      fns.length > 2 ? [fns[seed % fns.length]!, fns[(seed + 1) % fns.length]!] : [fns[seed % fns.length]!];
    return picked.map((f, j) => `SELECT ${f(COLUMNS[(seed + i + j) % COLUMNS.length]!)} FROM people`);
  });
  return [
    `SELECT error(string_agg(${all}, ';')) FROM people`,
    `SELECT * FROM people WHERE error(${all}) IS NULL`,
    'SELECT * FROM people WHERE CAST(bz AS INTEGER) = 1',
    "SELECT count(*) FROM people WHERE CASE WHEN qh <> '350102' THEN error(bz) END IS NULL",
    ...quoting,
    "SELECT regexp_replace(sfzh, '(', 'x') FROM people",
    'SELECT to_json(p) FROM people p',
    "SELECT array_agg(zz), min(sfzh), max(sfzh), string_agg(xm, ',') FROM people",
    'SELECT xm FROM people ORDER BY sfzh',
    'SELECT nbbh FROM people',
    "SELECT * FROM people WHERE qh = '110105'",
    'PIVOT people ON xm USING count(*)',
    'PIVOT people ON bz USING count(*)',
    'PIVOT people ON jkzk USING count(*)',
    'SELECT * FROM (PIVOT people ON zz USING count(*))',
    'EXPLAIN SELECT * FROM people',
    'EXPLAIN ANALYZE SELECT * FROM people',
    'SELECT COLUMNS(*) FROM people',
    "SELECT x FROM people, UNNEST(string_split(zz, '路')) t(x)",
    `SELECT * FROM "${c.HIDDEN}"`,
    `SELECT * FROM "${c.NOTSHARED}"`,
    `SELECT * FROM "${c.VERIFYONLY}"`,
    `SELECT * FROM "${c.OTHER}"`,
    `SELECT * FROM "${c.OPEN}"`,
    `SELECT error(string_agg(sfzh || nbbh, ',')) FROM "${c.OPEN}"`,
    `SELECT * FROM people p JOIN "${c.HIDDEN}" h USING (qh)`,
    // Equi-joins whose keys one side's read pushes into the other's (dynamic filtering): masked
    // keys travel as the masked values, and nothing of either side beyond the grant comes back.
    `SELECT p.*, o.* FROM people p JOIN "${c.OPEN}" o ON o.xm = p.xm WHERE p.qh = '350102'`,
    `SELECT p.sfzh, o.zz FROM "${c.OPEN}" o JOIN people p ON p.zz = o.zz AND p.jkzk = o.jkzk WHERE o.bz IS NOT NULL`,
    `SELECT count(*), min(p.bz) FROM people p, "${c.OPEN}" o WHERE p.bz = o.bz AND o.qh = '350102'`,
    `SELECT * FROM read_csv_auto('${path}')`,
    `SELECT * FROM read_parquet('${path}')`,
    `SELECT * FROM '${path}'`,
    `SELECT error(content) FROM read_text('${path}')`,
    `SELECT * FROM postgres_scan('dbname=test host=127.0.0.1 user=postgres', '${world.schema}', 'hidden')`,
    "SELECT current_setting('home_directory')",
    'SELECT * FROM duckdb_settings()',
    "SELECT getenv('HUITONG_SECRET_KEY')",
  ];
}

/** SQL sent under C's statistics grant on STATS: the subset, and ways out of it. */
export function statisticsSql(world: CanaryWorld): string[] {
  return [
    'SELECT count(*) FROM stats',
    "SELECT qh, count(*) AS n FROM stats WHERE qh IN ('350102', '110105') GROUP BY qh",
    "SELECT count(*) FROM stats WHERE xm LIKE '%' AND bz IS NOT NULL AND qh >= '1'",
    'SELECT * FROM stats',
    'SELECT xm, sfzh FROM stats',
    'SELECT xm, count(*) FROM stats GROUP BY xm',
    `SELECT xm, count(*) FROM stats WHERE xm IN ('${world.decoys.name}') GROUP BY xm`,
    "SELECT sfzh, count(*) FROM stats WHERE sfzh IN ('x') GROUP BY sfzh",
    'SELECT min(xm), max(sfzh) FROM stats',
    "SELECT string_agg(xm, ',') FROM stats",
    "SELECT error(string_agg(xm || sfzh, ',')) FROM stats",
    'SELECT sum(xm), avg(jkzk) FROM stats',
    'SELECT avg(CAST(bz AS INTEGER)) FROM stats',
    'SELECT count(*) FROM stats WHERE CAST(bz AS INTEGER) = 1',
    'SELECT count(*) FROM stats s JOIN people p USING (qh)',
    'SELECT count(*) FROM stats WHERE bz = (SELECT max(bz) FROM stats)',
    "SELECT qh, count(*) FROM stats WHERE qh IN ('350102') GROUP BY qh ORDER BY max(xm)",
    'SELECT count(*) FROM stats UNION ALL SELECT xm FROM stats',
    'SELECT bz, count(*) FROM stats GROUP BY ALL',
    'SELECT count(*) FROM stats GROUP BY ROLLUP (xm)',
    'SELECT list(zz) FROM stats',
    'SELECT count(*) OVER (PARTITION BY xm), xm FROM stats',
    'SELECT to_json(s) FROM stats s',
    'PIVOT stats ON xm USING count(*)',
  ];
}

/** Every request of the hunt (`thorough`: every hostile function on every column). */
export function huntRequests(world: CanaryWorld, thorough = false): HuntRequest[] {
  const c = world.codes;
  const codes = Object.values(c);
  const out: HuntRequest[] = [];
  const add = (persona: HuntPersona, method: HuntRequest['method'], url: string, payload?: unknown) =>
    out.push({
      label: `${persona} ${method} ${url}${payload ? ` ${JSON.stringify(payload).slice(0, 200)}` : ''}`,
      persona,
      method,
      url,
      payload,
    });

  // Rows: every resource in every format as the key; as the analyst PEOPLE and as nobody OPEN in
  // every format, their other resources in every format when thorough, else in one the seed turns.
  for (const [r, code] of codes.entries())
    for (const [p, persona] of (['key', 'analyst', 'anonymous'] as const).entries())
      for (const [f, format] of FORMATS.entries()) {
        const every = thorough || persona === 'key' || code === (persona === 'analyst' ? c.PEOPLE : c.OPEN);
        if (every || (r + p + world.book.seed) % FORMATS.length === f)
          add(persona, 'GET', `/api/v1/resources/${code}/rows?format=${format}`);
      }
  const rows = `/api/v1/resources/${c.PEOPLE}/rows`;
  const filter = (f: unknown) => encodeURIComponent(JSON.stringify(f));
  for (const query of [
    'fields=nbbh',
    'fields=内部编号',
    'fields=sfzh,nbbh&format=csv',
    `filter=${filter([{ column: 'qh', op: 'eq', value: '110105' }])}`,
    `filter=${filter([{ column: 'sfzh', op: 'like', value: '%19%' }])}`,
    `filter=${filter([{ column: 'nbbh', op: 'is_null' }])}`,
    `filter=${filter([{ column: 'bz', op: 'in', values: ['x'] }])}`,
    'sort=sfzh',
    'sort=-xm',
    'sort=nbbh',
    'limit=1&cursor=AAAA',
    'limit=1&cursor=eyJrIjpbIngiXX0',
  ])
    add('key', 'GET', `${rows}?${query}`);

  // SQL: the corpus, then hostile casts and functions, then whole tables in every format.
  const fill = (text: string) =>
    text
      .replaceAll('{PEOPLE}', c.PEOPLE)
      .replaceAll('{HIDDEN}', c.HIDDEN)
      .replaceAll('{NOTSHARED}', c.NOTSHARED)
      .replaceAll('{ID0}', world.decoys.id)
      .replaceAll('{ID1}', world.decoys.id)
      .replaceAll('{NAME0}', world.decoys.name)
      .replaceAll('{PHONE0}', world.decoys.phone)
      .replaceAll('{REGION}', '350102');
  const aliases = { people: c.PEOPLE };
  // The corpus' own test runs every case; here `npm test` takes a sample (see corpusSample).
  for (const corpusCase of corpusSample(world.book.seed, thorough)) {
    const extra = Object.fromEntries(
      Object.entries(corpusCase.aliases ?? {}).map(([k, v]) => [fill(k), fill(v)]),
    );
    add('key', 'POST', '/api/v1/query', {
      sql: fill(corpusCase.sql),
      aliases: { ...aliases, ...extra },
      format: corpusCase.format ?? 'json',
    });
  }
  for (const sql of hostileSql(world, thorough)) add('key', 'POST', '/api/v1/query', { sql, aliases });
  for (const format of FORMATS) {
    add('key', 'POST', '/api/v1/query', { sql: 'SELECT * FROM people', aliases, format });
    if (thorough || format === 'json' || format === 'parquet')
      add('key', 'POST', '/api/v1/query', { sql: `SELECT * FROM "${c.VERIFYONLY}"`, aliases, format });
  }

  // SQL under a statistics grant: the subset answered with noisy counts, everything else refused;
  // no cell of STATS (all canaries) may come back, in a row, a group label or an error.
  for (const persona of ['key', 'analyst'] as const)
    for (const [i, sql] of statisticsSql(world).entries())
      add(persona, 'POST', '/api/v1/query', {
        sql,
        aliases: { stats: c.STATS, people: c.PEOPLE },
        epsilon: 0.01,
        format: i % 7 === 6 ? 'csv' : 'json',
      });

  // Verification: per item and not, one item, items outside the grant, on every resource.
  const claims = [
    { values: { 身份证号: world.decoys.id, 姓名: world.decoys.name } },
    { values: { 身份证号: world.decoys.id, 姓名: world.decoys.name }, perItem: true },
    { values: { 区划: '350102', 姓名: world.decoys.name }, perItem: true },
    { values: { 区划: '350102', 备注: 'remark-0' }, perItem: true },
    { values: { 身份证号: world.decoys.id } },
    { values: { 内部编号: 'x', 姓名: world.decoys.name } },
    { values: { 身份证号: 12345, 手机号码: true } },
  ];
  for (const code of codes)
    for (const persona of ['key', 'anonymous'] as const)
      for (const claim of claims) add(persona, 'POST', `/api/v1/resources/${code}/verify`, claim);

  // Differentially private statistics: refused to detail grants and to nobody, and nothing of a
  // row in the refusals either (grouping by a masked or identifying item, summing text).
  const statistics = [
    { measures: [{ fn: 'count' }], epsilon: 1 },
    { measures: [{ fn: 'count' }], groupBy: { item: '姓名', groups: [world.decoys.name] }, epsilon: 1 },
    { measures: [{ fn: 'sum', item: '身份证号' }], groupBy: { item: '身份证号', groups: ['x'] }, epsilon: 1 },
    { measures: [{ fn: 'avg', item: '内部编号' }], epsilon: 1 },
  ];
  for (const code of codes)
    for (const persona of ['key', 'analyst', 'anonymous'] as const)
      for (const body of statistics) add(persona, 'POST', `/api/v1/resources/${code}/statistics`, body);

  // 可用不可见: the sandbox mode's answers (refused, suppressed, held) and the held answer's routes,
  // as every consumer persona and nobody: the held rows leave only to P, and only once approved to C.
  // The same under the noised grant (table n): refused as unnoisable, or answered with noise.
  const sandbox = { s: c.SANDBOX, n: c.NOISED, people: c.PEOPLE };
  for (const query of [
    'SELECT * FROM s',
    'SELECT sfzh, count(*) FROM s GROUP BY sfzh',
    'SELECT qh, count(*), max(bz) FROM s GROUP BY qh',
    'SELECT qh, count(*) AS n FROM s GROUP BY qh',
    `SELECT count(*) FROM s WHERE xm <> '${world.decoys.name}'`,
    `SELECT sum(CASE WHEN qh = '350102' THEN 1 END), string_agg(xm, ',') FROM s`,
    'SELECT count(*) FROM s JOIN people ON s.qh = people.qh',
    'SELECT CAST(bz AS INTEGER), count(*) FROM s GROUP BY 1',
    'SELECT qh, count(DISTINCT sfzh) AS people FROM s GROUP BY qh ORDER BY people',
    'SELECT qh, sum(bz), avg(xm) FROM s GROUP BY qh',
  ])
    for (const sql of [query, query.replace(/\bs\b/g, 'n')])
      for (const persona of ['key', 'analyst'] as const)
        add(persona, 'POST', '/api/v1/query', { sql, aliases: sandbox });
  const review = `/api/v1/release-reviews/${world.heldReview}`;
  for (const persona of ['key', 'analyst', 'steward', 'anonymous'] as const) {
    for (const url of [
      '/api/v1/release-reviews',
      '/api/v1/release-reviews?side=provider',
      review,
      `${review}/result`,
    ])
      add(persona, 'GET', url);
    add(persona, 'POST', `${review}/approve`, {});
    add(persona, 'POST', `${review}/refuse`, { reason: 'x' });
  }
  // The k-anonymity gate: its steward routes as the consumer's people and nobody, on open data.
  for (const code of [c.OPEN, c.GATED])
    for (const persona of ['key', 'steward', 'anonymous'] as const) {
      const body = { quasiIdentifiers: ['区划'], k: 5 };
      add(persona, 'POST', `/api/v1/resources/${code}/open-release/k-preview`, body);
      add(persona, 'POST', `/api/v1/resources/${code}/open-release/generalise`, body);
      add(persona, 'PUT', `/api/v1/resources/${code}/open-release`, { items: [{ name: '区划' }], ...body });
    }
  add('key', 'POST', '/api/v1/query', { sql: `SELECT * FROM "${c.GATED}"`, aliases: {} });

  // The catalog's views of every resource, and the catalog as a whole.
  for (const code of codes)
    for (const persona of ['key', 'anonymous'] as const)
      for (const path of [
        '',
        '.jsonld',
        '.ttl',
        '/datapackage.json',
        '/versions',
        '/versions/1',
        '/open-release',
        '/access/api',
        '/access/file',
        '/access/verification',
        '/binding',
      ])
        add(persona, 'GET', `/api/v1/resources/${code}${path}`);
  for (const code of codes)
    for (const action of [
      `package_show?id=${code}`,
      `resource_show?id=${code}`,
      `datastore_search?resource_id=${code}`,
    ])
      add('anonymous', 'GET', `/api/3/action/${action}`);
  for (const url of [
    '/api/3/action/package_search?q=哨兵&rows=100',
    '/api/3/action/package_list',
    '/api/v1/catalog.jsonld',
    '/api/v1/catalog.ttl',
    '/api/v1/catalog/search?q=哨兵',
    '/api/v1/catalog/stats',
    '/api/v1/resources?limit=100',
  ])
    for (const persona of ['key', 'anonymous'] as const) add(persona, 'GET', url);

  // Sources of other organisations: read, scan, test, bind, retype — as the consumer's steward.
  for (const id of Object.values(world.sources)) {
    for (const persona of ['steward', 'key'] as const) {
      add(persona, 'GET', `/api/v1/sources/${id}`);
      add(persona, 'GET', `/api/v1/sources/${id}/schema`);
      add(persona, 'GET', `/api/v1/sources/${id}/schema?schema=${world.schema}`);
      add(persona, 'POST', `/api/v1/sources/${id}/test`, {});
      for (const from of [
        { kind: 'table', schema: world.schema, table: 'hidden' },
        { kind: 'table', table: 'data' },
        { kind: 'query', sql: `SELECT * FROM ${world.schema}.hidden` },
      ]) {
        add(persona, 'POST', `/api/v1/sources/${id}/scan`, { from, sampleSize: 10 });
        add(persona, 'PUT', `/api/v1/resources/${world.ownCode}/binding`, { sourceId: id, from });
      }
      add(persona, 'PATCH', `/api/v1/sources/${id}/columns`, { columns: [{ name: 'xm', type: 'number' }] });
    }
  }
  add('steward', 'GET', '/api/v1/sources');

  // The platform's own tables, for everyone.
  for (const persona of PERSONAS)
    for (const url of [
      '/api/v1/users',
      '/api/v1/auth/me',
      '/api/v1/organizations',
      '/api/v1/applications',
      '/api/v1/access-requests',
      '/api/v1/grants',
      '/api/v1/usage?side=consumer',
      '/api/v1/notifications',
      '/api/v1/audit/entries',
      '/api/v1/audit/entries.csv',
      '/api/v1/audit/export.ndjson',
      '/api/v1/audit/entries/0',
    ])
      add(persona, 'GET', url);

  // Subscriptions: the pull channel's events (the snapshot of PEOPLE, masked and filtered), the
  // subscription itself, and pulls past the end or of a subscription that is not there.
  const subscription = `/api/v1/subscriptions/${world.subscription}`;
  for (const persona of PERSONAS)
    for (const url of [
      '/api/v1/subscriptions',
      subscription,
      `${subscription}/events`,
      `${subscription}/events?after=0&limit=1000`,
      `${subscription}/events?after=2&limit=3`,
      `${subscription}/events?after=999999`,
      '/api/v1/subscriptions/00000000-0000-4000-8000-000000000000/events',
    ])
      add(persona, 'GET', url);
  for (const persona of PERSONAS)
    for (const code of [world.codes.HIDDEN, world.codes.NOTSHARED, world.codes.OTHER, world.codes.STATS])
      add(persona, 'POST', '/api/v1/subscriptions', { resourceCode: code });
  add('key', 'POST', '/api/v1/subscriptions', { resourceCode: world.codes.PEOPLE, fields: ['nbbh'] });

  // Error answers.
  add('key', 'GET', '/api/v1/nope');
  add('key', 'POST', '/api/v1/query', { sql: 'SELEC xm FROM people', aliases });
  add('key', 'POST', '/api/v1/query', { sql: 'SELECT * FROM people', aliases, format: 'docx' });
  add('key', 'GET', `${rows}?format=csv&limit=0`);
  return out;
}

/** Runs the hunt's requests (or those given) and returns every canary found in an answer. */
export async function hunt(
  world: CanaryWorld,
  requests: HuntRequest[] = huntRequests(world),
  concurrency = 4,
): Promise<{ leaks: Leak[]; undecodable: string[]; statuses: Record<string, number>; requests: number }> {
  const decoder = new Decoder();
  const leaks: Leak[] = [];
  const undecodable: string[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const response = await world.server.app.inject({
        method: r.method,
        url: r.url,
        headers: { ...world.callers[r.persona].headers, ...r.headers },
        ...(r.payload === undefined ? {} : { payload: r.payload as object }),
      });
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      // An answer the hunt cannot read back is a failure of its own: it could hide anything.
      const text = await decoder.text(response).catch((e: Error) => {
        undecodable.push(`${r.label}: ${e.message}`);
        return `${JSON.stringify(response.headers)}\n${response.rawPayload.toString('latin1')}`;
      });
      for (const { canary, secret } of world.book.find(text))
        leaks.push({
          canary: canary.where,
          secret,
          request: r.label,
          status: response.statusCode,
          around: around(text, secret),
        });
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    decoder.close();
  }
  return { leaks, undecodable, statuses, requests: requests.length };
}

/** Up to 60 characters either side of the first `secret` in `text`. */
function around(text: string, secret: string): string {
  const at = text.indexOf(secret);
  return text.slice(Math.max(0, at - 60), at + secret.length + 60);
}

/** Leaks grouped by request, one line each, for a readable failure. */
export function describeLeaks(leaks: Leak[]): string[] {
  const byRequest = new Map<string, Map<string, Leak>>();
  for (const leak of leaks) {
    const key = `${leak.request} → ${leak.status}`;
    const found = byRequest.get(key) ?? new Map<string, Leak>();
    if (!found.has(leak.canary)) found.set(leak.canary, leak);
    byRequest.set(key, found);
  }
  return [...byRequest].map(([request, found]) => {
    const list = [...found.values()];
    // The first one's surroundings: enough to tell a leak from a value that merely contains it.
    const first = list[0]?.around === undefined ? '' : ` [${JSON.stringify(list[0].around)}]`;
    const names = list.slice(0, 4).map((l) => l.canary);
    return `${request}: ${names.join(', ')}${list.length > 4 ? ` (+${list.length - 4})` : ''}${first}`;
  });
}
