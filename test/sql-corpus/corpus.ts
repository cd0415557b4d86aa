// The hostile SQL corpus: queries a consumer might send to POST /api/v1/query to read files,
// reach the network, change settings, learn about the engine, reach resources it was not
// granted, or learn masked values. Each case names what must happen:
//   refused  — a 4xx with one of the given error codes;
//   bounded  — stopped by the sandbox's limits (query_timeout or query_memory_exceeded);
//   allowed  — answered, but only with what the grant shows (the test checks no clear value of a
//              masked, ungranted or filtered-out cell appears), optionally with an exact result.
// Placeholders: {PEOPLE} the granted resource's code (also the default alias `people`), {HIDDEN}
// a conditional resource without a grant, {NOTSHARED} a 不予共享 one; {ID0}/{NAME0} the clear ID
// number and name of a visible row, {ID1} the ID number of a row the row filter hides, {PHONE0}
// an ungranted mobile number.

/** What must happen to a case. */
export type Outcome =
  | { refused: string | string[] }
  | { bounded: true }
  | { allowed: true; rows?: number; equals?: Array<Record<string, unknown>> };

/** One hostile query. */
export interface CorpusCase {
  category: string;
  sql: string;
  /** Merged over the default `{ people: '{PEOPLE}' }`. */
  aliases?: Record<string, string>;
  format?: 'json' | 'csv' | 'parquet' | 'ndjson';
  expect: Outcome;
  /** Set when the case shows a real gap: the test marks it `it.fails` and names the finding. */
  finding?: string;
}

const refused = (code: string | string[]): Outcome => ({ refused: code });
const bounded: Outcome = { bounded: true };
const allowed = (extra: { rows?: number; equals?: Array<Record<string, unknown>> } = {}): Outcome => ({
  allowed: true,
  ...extra,
});
const group = (category: string, cases: Array<Omit<CorpusCase, 'category'>>): CorpusCase[] =>
  cases.map((c) => ({ category, ...c }));
const each = (category: string, sqls: string[], expect: Outcome): CorpusCase[] =>
  sqls.map((sql) => ({ category, sql, expect }));

const TF = 'table_function_forbidden';
const NOT_SELECT = ['not_a_select', 'sql_syntax_error'];
const NOT_FOUND = 'resource_not_found';
const NO_RESOURCE = 'no_resource';

const fileReaders = each(
  'file and URL readers',
  [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_csv('/etc/passwd', header = false, columns = {'l': 'VARCHAR'})",
    "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "SELECT * FROM parquet_scan('/tmp/x.parquet')",
    "SELECT * FROM parquet_metadata('/tmp/x.parquet')",
    "SELECT * FROM parquet_schema('/tmp/x.parquet')",
    "SELECT * FROM read_json('/etc/hosts')",
    "SELECT * FROM read_json_auto('/etc/hosts')",
    "SELECT * FROM read_ndjson('/etc/hosts')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM glob('data/**')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
    "SELECT * FROM read_csv('https://example.com/x.csv')",
    "SELECT * FROM read_csv(['/etc/passwd', '/etc/group'])",
    "SELECT * FROM read_parquet('s3://bucket/x.parquet')",
    "SELECT * FROM sqlite_scan('/tmp/x.db', 't')",
    "SELECT * FROM postgres_scan('host=127.0.0.1 user=postgres', 'public', 'x')",
    "SELECT * FROM mysql_scan('host=127.0.0.1', 'x')",
    "SELECT * FROM iceberg_scan('/tmp/ice')",
    "SELECT * FROM delta_scan('/tmp/delta')",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM query_table('people')",
    'SELECT * FROM duckdb_settings()',
    'SELECT * FROM duckdb_tables()',
    'SELECT * FROM duckdb_columns()',
    'SELECT * FROM duckdb_extensions()',
    'SELECT * FROM duckdb_secrets()',
    'SELECT * FROM duckdb_temporary_files()',
    'SELECT * FROM duckdb_databases()',
    'SELECT * FROM pragma_version()',
    'SELECT * FROM pragma_database_size()',
    "SELECT * FROM pragma_table_info('people')",
    'SELECT * FROM range(10)',
    'SELECT * FROM generate_series(1, 10)',
    'SELECT * FROM test_all_types()',
    "SELECT * FROM which_secret('s3://x', 's3')",
    "SELECT p.xm FROM people p JOIN read_csv('/etc/passwd') f ON true",
    "SELECT (SELECT count(*) FROM read_csv('/etc/passwd'))",
    "SELECT * FROM people WHERE xm IN (SELECT * FROM read_text('/etc/hostname'))",
    "WITH f AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM f",
    "SELECT * FROM people, LATERAL (SELECT * FROM read_csv('/etc/passwd')) f",
    "SELECT * FROM people UNION ALL SELECT * FROM read_csv('/etc/passwd')",
    "SELECT EXISTS (SELECT 1 FROM glob('/etc/*'))",
    "FROM read_csv('/etc/passwd')",
    "SELECT * FROM READ_CSV('/etc/passwd')",
    'SELECT * FROM "read_csv"(\'/etc/passwd\')',
  ],
  refused(TF),
).concat(
  each(
    'file and URL readers',
    [
      "SELECT * FROM '/etc/passwd'",
      "SELECT * FROM '/etc/passwd.csv'",
      "SELECT * FROM 'http://127.0.0.1:1/x.parquet'",
      'SELECT * FROM "/etc/passwd"',
      "FROM 'data/pglite/PG_VERSION'",
      'SELECT * FROM "../../etc/passwd"',
    ],
    refused(NOT_FOUND),
  ),
);

const statements = each(
  'statements other than SELECT',
  [
    "ATTACH '/tmp/x.db'",
    "ATTACH '/tmp/x.db' AS x (READ_ONLY)",
    "ATTACH 'host=127.0.0.1 user=postgres' AS pg (TYPE postgres)",
    'DETACH memory',
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    "COPY people TO '/tmp/people.csv'",
    "COPY people FROM '/etc/passwd'",
    'COPY FROM DATABASE memory TO x',
    'INSTALL httpfs',
    'FORCE INSTALL httpfs',
    "INSTALL httpfs FROM 'http://127.0.0.1:1'",
    'LOAD httpfs',
    "LOAD '/tmp/evil.duckdb_extension'",
    'UPDATE EXTENSIONS',
    'SET enable_external_access = true',
    'SET lock_configuration = false',
    "SET GLOBAL memory_limit = '100GB'",
    "SET allowed_directories = ['/']",
    'RESET memory_limit',
    'SET VARIABLE x = 1',
    'PRAGMA database_list',
    'PRAGMA show_tables',
    "PRAGMA table_info('people')",
    'PRAGMA version',
    "PRAGMA memory_limit = '100GB'",
    'CALL pragma_version()',
    'CALL duckdb_settings()',
    'CREATE TABLE x AS SELECT * FROM people',
    'CREATE VIEW v AS SELECT * FROM people',
    'CREATE MACRO m(x) AS x + 1',
    'CREATE MACRO t() AS TABLE SELECT * FROM people',
    "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
    'CREATE SEQUENCE s',
    "CREATE TYPE mood AS ENUM ('a')",
    'CREATE SCHEMA s',
    'CREATE INDEX i ON people (xm)',
    'CREATE TEMP TABLE t (a int)',
    "INSERT INTO people VALUES ('x')",
    'INSERT INTO people SELECT * FROM people',
    "UPDATE people SET xm = 'x'",
    'DELETE FROM people',
    'DROP TABLE people',
    'ALTER TABLE people ADD COLUMN x int',
    'TRUNCATE people',
    "EXPORT DATABASE '/tmp/db'",
    "IMPORT DATABASE '/tmp/db'",
    'CHECKPOINT',
    'VACUUM',
    'BEGIN TRANSACTION',
    'COMMIT',
    'ROLLBACK',
    'PREPARE p AS SELECT 1',
    'EXECUTE p',
    'DEALLOCATE p',
    'USE memory',
    'EXPLAIN SELECT * FROM people',
    'EXPLAIN ANALYZE SELECT * FROM people',
    "COMMENT ON TABLE people IS 'x'",
    'WITH x AS (SELECT 1) INSERT INTO people SELECT * FROM x',
    'ANALYZE',
  ],
  refused(NOT_SELECT),
);

const multiple = each(
  'several statements',
  [
    'SELECT 1; SELECT 2',
    'SELECT xm FROM people; SELECT 1',
    "SELECT 1; ATTACH '/tmp/x.db'",
    'SELECT 1;SET enable_external_access = true',
    "SELECT 1; COPY (SELECT 1) TO '/tmp/x'",
    'SELECT 1;;SELECT 2',
    'SELECT 1; INSTALL httpfs; LOAD httpfs',
    'SELECT 1\n;\nSELECT 2',
  ],
  refused(['multiple_statements', 'not_a_select']),
);

const parameters = each(
  'parameters',
  [
    'SELECT $1',
    'SELECT ?',
    'SELECT * FROM people WHERE xm = $1',
    'SELECT * FROM people WHERE xm = ?',
    'SELECT $name',
    'SELECT * FROM people LIMIT $1',
  ],
  refused(['parameters_forbidden', 'sql_syntax_error']),
);

const show = each(
  'DESCRIBE and SHOW',
  [
    'DESCRIBE people',
    'DESCRIBE SELECT * FROM people',
    'SHOW TABLES',
    'SHOW ALL TABLES',
    'SHOW people',
    'SUMMARIZE people',
    'SUMMARIZE SELECT * FROM people',
    'SELECT * FROM (DESCRIBE people)',
    'SELECT * FROM (SHOW TABLES)',
  ],
  refused(['show_forbidden', 'not_a_select', 'table_reference_forbidden']),
);

const qualified = each(
  'qualified names',
  [
    'SELECT * FROM information_schema.tables',
    'SELECT * FROM information_schema.columns',
    'SELECT * FROM information_schema.schemata',
    'SELECT * FROM pg_catalog.pg_class',
    'SELECT * FROM pg_catalog.pg_settings',
    'SELECT * FROM main.people',
    'SELECT * FROM memory.main.people',
    'SELECT * FROM memory.people',
    'SELECT * FROM system.main.duckdb_settings',
    'SELECT * FROM temp.main.x',
    'SELECT * FROM "main"."people"',
    'SELECT * FROM people.people',
    'SELECT xm FROM people WHERE xm IN (SELECT table_name FROM information_schema.tables)',
    'WITH t AS (SELECT * FROM information_schema.tables) SELECT * FROM t',
    'SELECT * FROM people p JOIN main.people q ON p.xm = q.xm',
    'SELECT (SELECT count(*) FROM pg_catalog.pg_tables)',
    'SELECT * FROM main."{HIDDEN}"',
    'SELECT * FROM pg_catalog."{HIDDEN}"',
  ],
  refused('qualified_name_forbidden'),
);

const revealing = group('functions that reveal settings or paths', [
  ...[
    "SELECT current_setting('memory_limit')",
    "SELECT current_setting('temp_directory')",
    "SELECT current_setting('home_directory')",
    "SELECT current_setting('allowed_directories')",
    "SELECT current_setting('extension_directory')",
    "SELECT CURRENT_SETTING('threads')",
    'SELECT "current_setting"(\'threads\')',
    "SELECT ('memory_limit').current_setting()",
    "SELECT list_transform(['threads'], x -> current_setting(x))",
    "SELECT CASE WHEN true THEN current_setting('temp_directory') END",
    "SELECT xm FROM people WHERE current_setting('threads') = '2'",
    "SELECT (SELECT current_setting('temp_directory'))",
    "SELECT getvariable('x')",
    "SELECT getenv('HOME')",
    'SELECT current_query()',
    'SELECT duckdb_api()',
    "SELECT xm, current_setting('temp_directory') FROM people",
  ].map((sql) => ({ sql, expect: refused(['function_forbidden', 'query_failed']) })),
  ...[
    'SELECT * FROM duckdb_settings',
    'SELECT * FROM pg_settings',
    'SELECT * FROM duckdb_tables',
    'SELECT * FROM sqlite_master',
    'SELECT * FROM pragma_database_list',
    'SELECT * FROM PG_SETTINGS',
    'SELECT * FROM DUCKDB_SETTINGS',
    'SELECT * FROM TABLES',
  ].map((sql) => ({ sql, expect: refused(NOT_FOUND) })),
]);

const tricks = group('comments and string tricks', [
  {
    sql: "SELECT 1 AS one FROM people LIMIT 1 -- ; ATTACH '/tmp/x.db'",
    expect: allowed({ equals: [{ one: 1 }] }),
  },
  {
    sql: "SELECT 1 AS one FROM people LIMIT 1 /* ; ATTACH '/tmp/x.db' */",
    expect: allowed({ equals: [{ one: 1 }] }),
  },
  { sql: "/* SELECT */ ATTACH '/tmp/x.db'", expect: refused(NOT_SELECT) },
  { sql: "-- SELECT\nATTACH '/tmp/x.db'", expect: refused(NOT_SELECT) },
  {
    sql: "SELECT 'a'';ATTACH ''/tmp/x.db''' AS s FROM people LIMIT 1",
    expect: allowed({ equals: [{ s: "a';ATTACH '/tmp/x.db'" }] }),
  },
  { sql: "SELECT $$;ATTACH '/tmp/x.db'$$ AS s FROM people LIMIT 1", expect: allowed({ rows: 1 }) },
  { sql: "SELECT E'\\x27; ATTACH' AS s FROM people LIMIT 1", expect: allowed({ rows: 1 }) },
  { sql: 'SELECT 1 /* unterminated', expect: refused('sql_syntax_error') },
  { sql: "SELECT '1", expect: refused('sql_syntax_error') },
  { sql: 'SELECT "1', expect: refused('sql_syntax_error') },
  {
    sql: 'SELECT 1 /* a /* nested */ b */ AS one FROM people LIMIT 1',
    expect: allowed({ equals: [{ one: 1 }] }),
  },
  // DuckDB reads the SQL up to a NUL, both when judging and when running it: what follows is ignored.
  {
    sql: "SELECT 1 AS one FROM people LIMIT 1\u0000; ATTACH '/tmp/x.db'",
    expect: allowed({ equals: [{ one: 1 }] }),
  },
  {
    sql: "SELECT 1 AS one FROM people LIMIT 1\u0000 UNION ALL SELECT * FROM read_csv('/etc/passwd')",
    expect: allowed({ equals: [{ one: 1 }] }),
  },
  {
    sql: "SELECT * FROM read\u200B_csv('/etc/passwd')",
    expect: refused(['sql_syntax_error', 'query_failed', NOT_FOUND]),
  },
  {
    sql: "SELECT * FROM ｒｅａｄ_csv('/etc/passwd')",
    expect: refused(['sql_syntax_error', 'query_failed', TF]),
  },
  { sql: "SELECT * FROM read_csv/**/('/etc/passwd')", expect: refused(TF) },
  { sql: "SELECT * FROM read_csv\n('/etc/passwd')", expect: refused(TF) },
  { sql: "SeLeCt * FrOm ReAd_CsV('/etc/passwd')", expect: refused(TF) },
  { sql: "\uFEFFSELECT * FROM read_csv('/etc/passwd')", expect: refused([TF, 'sql_syntax_error']) },
  { sql: '   \n\t SELECT 1 AS one FROM people LIMIT 1 \n ', expect: allowed({ equals: [{ one: 1 }] }) },
  { sql: ';', expect: refused(['multiple_statements', 'sql_syntax_error']) },
  { sql: '-- only a comment', expect: refused(['multiple_statements', 'sql_syntax_error']) },
  { sql: "SELECT U&'\\0041' AS s", expect: refused(['sql_syntax_error', 'query_failed']) },
  {
    sql: "SELECT '\\'; ATTACH '/tmp/x.db'; --' AS s",
    expect: refused([...NOT_SELECT, 'multiple_statements']),
  },
  { sql: `SELECT '${'x'.repeat(50_000)}' AS s FROM people LIMIT 1`, expect: allowed({ rows: 1 }) },
  { sql: `SELECT 1 ${'+ 1 '.repeat(5_000)} AS n`, expect: refused('sql_syntax_error') },
  {
    sql: `SELECT ${'('.repeat(2_000)}1${')'.repeat(2_000)} AS n FROM people LIMIT 1`,
    expect: allowed({ equals: [{ n: 1 }] }),
  },
  {
    sql: `SELECT 1 AS n FROM ${'(SELECT * FROM '.repeat(300)}people${') x'.repeat(300)} LIMIT 1`,
    expect: allowed({ rows: 1 }),
  },
  { sql: `SELECT 1 -- ${'x'.repeat(100_001)}`, expect: refused(['sql_too_long', 'invalid_request']) },
  {
    sql: "SELECT '汇通' AS 名称, '𝕏😀' AS emoji FROM people LIMIT 1",
    expect: allowed({ equals: [{ 名称: '汇通', emoji: '𝕏😀' }] }),
  },
  { sql: 'SELECT 1 AS "a""; ATTACH" FROM people LIMIT 1', expect: allowed({ rows: 1 }) },
  // A query that reads no resource releases no data: refused before it runs (was F1, a 500).
  { sql: 'SELECT 1 AS one', expect: refused(NO_RESOURCE) },
  { sql: "SELECT '汇通' AS s", format: 'csv', expect: refused(NO_RESOURCE) },
  { sql: "SELECT '汇通' AS s", format: 'parquet', expect: refused(NO_RESOURCE) },
  { sql: 'SELECT 1 AS one', aliases: { unused: '{PEOPLE}' }, expect: refused(NO_RESOURCE) },
  { sql: 'VALUES (1), (2)', expect: refused([NO_RESOURCE, ...NOT_SELECT]) },
]);

const unshared = group('unshared resources through aliases, subqueries, views and CTEs', [
  ...[
    'SELECT * FROM "{HIDDEN}"',
    'SELECT * FROM "{NOTSHARED}"',
    'SELECT count(*) FROM "{HIDDEN}"',
    'SELECT * FROM people JOIN "{HIDDEN}" h ON true',
    'SELECT * FROM people, "{NOTSHARED}"',
    'SELECT (SELECT count(*) FROM "{HIDDEN}") AS n',
    'SELECT * FROM people WHERE sfzh IN (SELECT sfzh FROM "{HIDDEN}")',
    'SELECT EXISTS (SELECT 1 FROM "{HIDDEN}") AS e',
    'WITH h AS (SELECT * FROM "{HIDDEN}") SELECT * FROM h',
    'WITH h AS (SELECT * FROM "{HIDDEN}"), p AS (SELECT * FROM people) SELECT * FROM p',
    'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r, "{HIDDEN}" WHERE n < 3) SELECT * FROM r',
    'SELECT * FROM people UNION ALL SELECT * FROM "{HIDDEN}"',
    'SELECT * FROM people EXCEPT SELECT * FROM "{HIDDEN}"',
    'SELECT * FROM (SELECT * FROM (SELECT * FROM "{HIDDEN}"))',
    'SELECT * FROM people, LATERAL (SELECT * FROM "{HIDDEN}" WHERE "{HIDDEN}".xm = people.xm)',
    'SELECT * FROM "{HIDDEN}" AS people',
    'SELECT * FROM "NO-SUCH-CODE"',
    'SELECT * FROM "{HIDDEN}" WHERE false',
    'SELECT count(*) FROM "{HIDDEN}" LIMIT 0',
    'SELECT * FROM "{PEOPLE}", "{HIDDEN}"',
  ].map((sql) => ({ sql, expect: refused(NOT_FOUND) })),
  { sql: 'SELECT * FROM h', aliases: { h: '{HIDDEN}' }, expect: refused(NOT_FOUND) },
  { sql: 'SELECT * FROM people', aliases: { people: '{HIDDEN}' }, expect: refused(NOT_FOUND) },
  { sql: 'SELECT * FROM people', aliases: { people: '{NOTSHARED}' }, expect: refused(NOT_FOUND) },
  { sql: 'SELECT * FROM p, h', aliases: { p: '{PEOPLE}', h: '{NOTSHARED}' }, expect: refused(NOT_FOUND) },
  { sql: 'SELECT * FROM "{PEOPLE}"', aliases: { x: '{HIDDEN}' }, expect: allowed({ rows: 6 }) },
  { sql: 'SELECT * FROM q', aliases: { q: 'people; DROP' }, expect: refused('invalid_request') },
  { sql: 'SELECT * FROM q', aliases: { 'q"; --': '{PEOPLE}' }, expect: refused('invalid_request') },
  { sql: 'SELECT * FROM q', aliases: { q: 'lower-case-code' }, expect: refused('invalid_request') },
  { sql: 'SELECT * FROM "lower-case-code"', expect: refused(NOT_FOUND) },
  // A CTE named like a hidden resource shadows it: nothing of the resource is loaded.
  {
    sql: 'WITH "{HIDDEN}" AS (SELECT 1 AS a) SELECT "{HIDDEN}".a FROM "{HIDDEN}", people LIMIT 1',
    expect: allowed({ equals: [{ a: 1 }] }),
  },
  {
    sql: 'WITH h AS (SELECT 1 AS a) SELECT h.a FROM h, people LIMIT 1',
    aliases: { h: '{HIDDEN}' },
    expect: allowed({ equals: [{ a: 1 }] }),
  },
  {
    sql: 'WITH h AS (SELECT 1 AS a) SELECT * FROM h',
    aliases: { h: '{HIDDEN}' },
    expect: refused(NO_RESOURCE),
  },
  // A CTE name reused outside its scope: the outer reference must not reach the hidden resource.
  {
    sql: 'SELECT * FROM (WITH h AS (SELECT 1 AS a) SELECT * FROM h) x, h',
    aliases: { h: '{HIDDEN}' },
    expect: refused([NOT_FOUND, 'query_failed', NO_RESOURCE]),
  },
  {
    sql: 'SELECT * FROM (WITH people AS (SELECT 1 AS a) SELECT * FROM people) x, "{HIDDEN}"',
    expect: refused(NOT_FOUND),
  },
]);

const bombs = group('CTE, recursion and join bombs', [
  ...[
    'WITH RECURSIVE t(n) AS (SELECT count(*) FROM people UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
    'WITH RECURSIVE t(n) AS (SELECT count(*) FROM people UNION ALL SELECT n + 1 FROM t WHERE n < 1000000000000) SELECT max(n) FROM t',
    'WITH RECURSIVE t(s) AS (SELECT min(qh) FROM people UNION ALL SELECT s || s FROM t) SELECT count(*) FROM t',
    'SELECT count(*) FROM people a, people b, people c, people d, people e, people f, people g, people h, people i, people j, people k, people l',
    'SELECT sum(length(a.xm || b.xm || c.xm || d.xm || e.xm || f.xm || g.xm || h.xm || i.xm || j.xm || k.xm || l.xm)) FROM people a, people b, people c, people d, people e, people f, people g, people h, people i, people j, people k, people l',
  ].map((sql) => ({ sql, expect: bounded })),
  // Reading no resource, a bomb is refused before it runs.
  {
    sql: 'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
    expect: refused(NO_RESOURCE),
  },
  {
    sql: `SELECT regexp_matches('${'a'.repeat(10_000)}', '(a*)*b') AS m FROM people LIMIT 1`,
    expect: allowed({ equals: [{ m: false }] }),
  },
  // F2: growth by doubling or expansion needs no builder function to refuse; DuckDB builds the
  // value outside its memory_limit, and the sandbox's child process is killed past its ceiling.
  ...[
    `SELECT length(a28) AS n FROM (SELECT min(qh) AS a0, ${Array.from({ length: 28 }, (_, i) => `a${i} || a${i} AS a${i + 1}`).join(', ')} FROM people)`,
    `SELECT length(regexp_replace('${'x'.repeat(30_000)}', '', '${'y'.repeat(30_000)}', 'g')) AS n FROM people`,
  ].map((sql) => ({ sql, expect: bounded })),
]);

// Builders whose result's size an argument sets (F2): DuckDB builds them outside memory_limit
// and the interrupt, so they are refused before DuckDB sees the query, however they are called.
const FN = 'function_forbidden';
const builders = group('list and string builders sized by an argument', [
  ...[
    'SELECT count(*) FROM (SELECT unnest(range(1000000000)))',
    'SELECT length(range(40000000)) AS n FROM people LIMIT 1',
    'SELECT list_sort(range(500000000)) AS l',
    'SELECT count(*) FROM (SELECT unnest(generate_series(1, 1000000000)))',
    "SELECT length(repeat('x', 2000000000)) AS n FROM people LIMIT 1",
    'SELECT count(*) FROM (SELECT unnest(range(100000)) a), (SELECT unnest(range(100000)) b)',
    'SELECT sum(a * b) FROM (SELECT unnest(range(200000)) a) JOIN (SELECT unnest(range(200000)) b) ON a % 7 = b % 11',
    "SELECT length(string_agg(repeat('x', 100000000), '')) FROM people",
    "SELECT regexp_matches(repeat('a', 100000), '(a*)*b') AS m FROM people LIMIT 1",
    "SELECT len(range(TIMESTAMP '0001-01-01', TIMESTAMP '9999-01-01', INTERVAL 1 SECOND)) AS n FROM people",
    'SELECT len(generate_series(1, length(xm) * 1000000000)) AS n FROM people',
    'SELECT octet_length(repeat(xm::BLOB, 1000000000)) AS n FROM people',
    'SELECT len(repeat([xm], 1000000000)) AS n FROM people',
    'SELECT len(list_resize([xm], 1000000000)) AS n FROM people',
    'SELECT len(array_resize([xm], 1000000000)) AS n FROM people',
    "SELECT length(lpad(xm, 2000000000, 'x')) AS n FROM people",
    "SELECT length(rpad(xm, length(qh) * 100000000, 'x')) AS n FROM people",
    "SELECT length(lpad(xm, CAST('2000000000' AS INTEGER), 'x')) AS n FROM people",
    "SELECT length(printf('%2000000000d', 1)) AS n FROM people",
    "SELECT length(format('{:>2000000000}', xm)) AS n FROM people",
    "SELECT bit_length(bitstring('1', 2000000000)) AS n FROM people",
    'SELECT bit_length(bitstring_agg(length(xm), 0, 99999999)) AS n FROM people GROUP BY xm',
    'SELECT approx_top_k(xm, 999999) AS k FROM people GROUP BY qh',
    'SELECT approx_top_k(xm, 100000) OVER () AS k FROM people',
    'SELECT length(xm.repeat(1000000000)) AS n FROM people',
    'SELECT len("RANGE"(1000000000)) AS n FROM people',
    'SELECT len(main.range(1000000000)) AS n FROM people',
    'SELECT list_transform([1], x -> len(range(x * 1000000000))) AS l FROM people',
    'SELECT CASE WHEN qh IS NULL THEN repeat(xm, 1000000000) END AS s FROM people',
    'SELECT (SELECT len(generate_series(1, 1000000000))) AS n FROM people',
    'WITH r AS (SELECT range(1000000000) AS l FROM people) SELECT len(l) AS n FROM r',
  ].map((sql) => ({ sql, expect: refused(FN) })),
  ...[
    'SELECT * FROM generate_series(1, 1000000000)',
    'SELECT count(*) FROM repeat(1, 1000000000)',
    'SELECT count(*) FROM repeat_row(1, num_rows = 1000000000)',
    'SELECT count(*) FROM people, range(1000000000)',
    'SELECT count(*) FROM unnest(range(1000000000))',
  ].map((sql) => ({ sql, expect: refused([TF, FN]) })),
  // Padding to a literal width stays available.
  {
    sql: "SELECT DISTINCT lpad(qh, 8, '0') AS q FROM people",
    expect: allowed({ equals: [{ q: '00{REGION}' }] }),
  },
  {
    sql: "SELECT DISTINCT rpad(qh, 8, '*') AS q FROM people",
    expect: allowed({ equals: [{ q: '{REGION}**' }] }),
  },
]);

const masked = group('masked-column probing', [
  { sql: 'SELECT sfzh FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT xm, sfzh, qh FROM people ORDER BY sfzh', expect: allowed({ rows: 6 }) },
  { sql: "SELECT count(*) AS n FROM people WHERE sfzh = '{ID0}'", expect: allowed({ equals: [{ n: 0 }] }) },
  {
    sql: "SELECT count(*) AS n FROM people WHERE sfzh LIKE '%1980010%'",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  {
    sql: "SELECT count(*) AS n FROM people WHERE substr(sfzh, 7, 8) = '19800101'",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  {
    sql: "SELECT count(*) AS n FROM people WHERE regexp_matches(sfzh, '^\\d{18}$')",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  {
    sql: "SELECT count(*) AS n FROM people WHERE sfzh NOT LIKE '%*%'",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  { sql: "SELECT count(*) AS n FROM people WHERE xm = '{NAME0}'", expect: allowed({ equals: [{ n: 0 }] }) },
  {
    sql: "SELECT count(*) AS n FROM people WHERE xm NOT LIKE '%*%'",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  {
    sql: 'SELECT DISTINCT substr(sfzh, 7, 8) AS birth FROM people',
    expect: allowed({ equals: [{ birth: '********' }] }),
  },
  { sql: 'SELECT min(sfzh) AS lo, max(sfzh) AS hi FROM people', expect: allowed({ rows: 1 }) },
  { sql: 'SELECT md5(sfzh) AS h FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT hash(sfzh) AS h FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT sfzh::BLOB AS b FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT unicode(substr(sfzh, 9, 1)) AS c FROM people', expect: allowed({ rows: 6 }) },
  { sql: "SELECT string_agg(sfzh, ',') AS all FROM people", expect: allowed({ rows: 1 }) },
  { sql: 'SELECT list(sfzh ORDER BY sfzh) AS l FROM people', expect: allowed({ rows: 1 }) },
  { sql: 'SELECT sfzh, rank() OVER (ORDER BY sfzh) AS r FROM people', expect: allowed({ rows: 6 }) },
  {
    sql: 'SELECT count(*) AS n FROM people a JOIN people b ON a.sfzh = b.sfzh',
    expect: allowed({ equals: [{ n: 6 }] }),
  },
  { sql: "SELECT count(*) AS n FROM people WHERE sfzh > '3501021980010'", expect: allowed({ rows: 1 }) },
  {
    sql: "SELECT count(*) AS n FROM people WHERE levenshtein(sfzh, '{ID0}') < 2",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  {
    sql: "SELECT count(*) AS n FROM people WHERE jaccard(sfzh, '{ID0}') = 1",
    expect: allowed({ equals: [{ n: 0 }] }),
  },
  { sql: 'SELECT * FROM people', format: 'csv', expect: allowed() },
  { sql: 'SELECT * FROM people', format: 'ndjson', expect: allowed() },
  { sql: 'SELECT * FROM people', format: 'parquet', expect: allowed() },
]);

const ungranted = group('ungranted items and filtered rows', [
  ...[
    'SELECT sjhm FROM people',
    'SELECT yhkh FROM people',
    'SELECT jkzk FROM people',
    'SELECT xm FROM people WHERE sjhm IS NOT NULL',
    'SELECT xm FROM people ORDER BY jkzk',
    'SELECT people.sjhm FROM people',
    'SELECT "sjhm" FROM people',
    'SELECT SJHM FROM people',
    'SELECT count(DISTINCT yhkh) FROM people',
    'SELECT xm FROM people WHERE xm IN (SELECT sjhm FROM people)',
  ].map((sql) => ({ sql, expect: refused('query_failed') })),
  { sql: 'SELECT count(*) AS n FROM people', expect: allowed({ equals: [{ n: 6 }] }) },
  { sql: "SELECT count(*) AS n FROM people WHERE qh = '110105'", expect: allowed({ equals: [{ n: 0 }] }) },
  { sql: "SELECT count(*) AS n FROM people WHERE qh <> '{REGION}'", expect: allowed({ equals: [{ n: 0 }] }) },
  { sql: "SELECT count(*) AS n FROM people WHERE sfzh = '{ID1}'", expect: allowed({ equals: [{ n: 0 }] }) },
  { sql: 'SELECT DISTINCT qh FROM people', expect: allowed({ equals: [{ qh: '{REGION}' }] }) },
  { sql: 'SELECT * FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT COLUMNS(*) FROM people', expect: allowed({ rows: 6 }) },
  { sql: "SELECT COLUMNS('.*') FROM people", expect: allowed({ rows: 6 }) },
  // Every form of star reads every granted column (was F3: only the excluded one was loaded).
  { sql: 'SELECT * EXCLUDE (xm) FROM people', expect: allowed({ rows: 6 }) },
  ...[
    'SELECT DISTINCT * EXCLUDE (xm, sfzh) FROM people',
    'SELECT DISTINCT p.* EXCLUDE (xm, sfzh) FROM people p',
    "SELECT DISTINCT COLUMNS('^q') FROM people",
    "SELECT DISTINCT struct_extract(p, 'qh') AS qh FROM people p",
    'SELECT DISTINCT QH AS qh FROM people',
  ].map((sql) => ({ sql, expect: allowed({ equals: [{ qh: '{REGION}' }] }) })),
  {
    sql: "SELECT DISTINCT * REPLACE ('x' AS xm, 'y' AS sfzh) FROM people",
    expect: allowed({ equals: [{ xm: 'x', sfzh: 'y', qh: '{REGION}' }] }),
  },
  { sql: 'SELECT people FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'SELECT to_json(people) AS j FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'FROM people', expect: allowed({ rows: 6 }) },
  { sql: 'FROM people SELECT xm', expect: allowed({ rows: 6 }) },
]);

const shadows = group('aliases colliding with the engine’s own names', [
  ...[
    'duckdb_settings',
    'duckdb_tables',
    'sqlite_master',
    'pg_settings',
    'information_schema',
    'main',
    'memory',
    'system',
    'temp',
    'pragma_database_list',
  ].map((alias) => ({
    sql: `SELECT count(*) AS n FROM ${alias}`,
    aliases: { [alias]: '{PEOPLE}' },
    expect: allowed({ equals: [{ n: 6 }] }) as Outcome,
  })),
]);

const wrappers = group('the export wrappers around the SQL', [
  {
    sql: 'SELECT xm FROM people --',
    format: 'parquet',
    expect: refused(['query_failed', 'sql_syntax_error']),
  },
  { sql: 'SELECT xm FROM people;', format: 'parquet', expect: refused(['query_failed', 'sql_syntax_error']) },
  {
    sql: "SELECT xm FROM people -- ) TO '/tmp/x.csv' (FORMAT csv); --",
    format: 'parquet',
    expect: refused(['query_failed', 'sql_syntax_error']),
  },
  { sql: 'SELECT xm FROM people ORDER BY xm LIMIT 2', format: 'parquet', expect: allowed() },
  { sql: 'SELECT xm FROM people --', format: 'csv', expect: allowed() },
  { sql: "SELECT 1 AS one FROM people LIMIT 1 /* ) TO '/tmp/x' */", format: 'parquet', expect: allowed() },
]);

// Run-time errors quote the value they failed on (issue 13, finding 1: `error(string_agg(…))`
// answered every row in its message). After the data is loaded no DuckDB run-time message
// leaves: each is `query_failed` with only its class, and has its release entry (start, then a
// failed completion). The runner checks that no value the consumer can see appears in these
// answers either, masked forms included, and that each is logged.
const runtimeErrors = group(
  'run-time errors that would quote data',
  [
    "SELECT error(string_agg(xm || '|' || sfzh, ';')) FROM people",
    'SELECT error(sfzh) FROM people',
    'SELECT CAST(xm AS INTEGER) FROM people',
    'SELECT sfzh::BIGINT FROM people',
    'SELECT qh::DATE FROM people',
    'SELECT xm::TIMESTAMP FROM people',
    'SELECT sfzh::JSON FROM people',
    'SELECT xm::UUID FROM people',
    'SELECT xm::BLOB FROM people',
    'SELECT sfzh::INTERVAL FROM people',
    'SELECT xm::BOOLEAN FROM people',
    'SELECT sfzh::DECIMAL(4, 2) FROM people',
    "SELECT sfzh::ENUM('a', 'b') FROM people",
    'SELECT sfzh::STRUCT(a INTEGER) FROM people',
    'SELECT count(*) FROM people WHERE sfzh = 1',
    'SELECT max(sfzh)::INTEGER FROM people',
    "SELECT json_extract(sfzh, '$.a') FROM people",
    'SELECT json_keys(xm) FROM people',
    'SELECT to_json(sfzh)::INTEGER FROM people',
    "SELECT strptime(sfzh, '%Y-%m-%d') FROM people",
    "SELECT regexp_matches('x', '(' || sfzh) FROM people",
    "SELECT date_part(xm, DATE '2024-01-01') FROM people",
    "SELECT timezone(sfzh, TIMESTAMPTZ '2024-01-01 00:00:00+00') FROM people",
    'SELECT from_base64(xm) FROM people',
    'SELECT [xm, sfzh][2]::INTEGER FROM people',
    "SELECT {'k': sfzh}.k::INTEGER FROM people",
    "SELECT union_extract(union_value(k := sfzh), 'k')::INTEGER FROM people",
    'SELECT make_date(length(sfzh) * 1000000000000, 1, 1) FROM people',
    'SELECT to_timestamp(length(sfzh) * 1000000000000000) FROM people',
    'SELECT sum(length(sfzh)::BIGINT * 9000000000000000000) FROM people',
    "SELECT string_agg(sfzh, ',')::INTEGER FROM people",
  ].map((sql) => ({ sql, expect: refused('query_failed') })),
);

// Result column names built from data: PIVOT names its columns after the values it finds, so it
// is refused in every form (UNPIVOT and EXPLAIN with it); an alias from the SQL is the SQL's.
const dataNames = group('column names and plans built from data', [
  ...[
    'PIVOT people ON xm USING count(*)',
    'SELECT * FROM (PIVOT people ON sfzh USING count(*))',
    'WITH p AS (PIVOT people ON xm USING count(*)) SELECT * FROM p',
    "SELECT * FROM people PIVOT (count(*) FOR qh IN ('{REGION}'))",
    'SELECT * FROM people PIVOT (count(*) FOR xm IN (SELECT xm FROM people))',
    'UNPIVOT people ON COLUMNS(*) INTO NAME k VALUE v',
    'SELECT * FROM people UNPIVOT (v FOR k IN (xm, sfzh))',
    'EXPLAIN SELECT * FROM people',
    'EXPLAIN ANALYZE SELECT * FROM people',
    'SUMMARIZE people',
    'SELECT * FROM (SUMMARIZE people)',
  ].map((sql) => ({
    sql,
    expect: refused(['table_reference_forbidden', 'not_a_select', 'sql_syntax_error', 'show_forbidden']),
  })),
  { sql: 'SELECT count(*) AS "张三" FROM people', expect: allowed({ equals: [{ 张三: 6 }] }) },
]);

/** Every case of the corpus. */
export const CORPUS: CorpusCase[] = [
  ...fileReaders,
  ...statements,
  ...multiple,
  ...parameters,
  ...show,
  ...qualified,
  ...revealing,
  ...tricks,
  ...unshared,
  ...bombs,
  ...builders,
  ...masked,
  ...ungranted,
  ...shadows,
  ...wrappers,
  ...runtimeErrors,
  ...dataNames,
];
