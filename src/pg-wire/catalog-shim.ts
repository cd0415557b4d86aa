import { SETTINGS } from './settings.js';
import { PG_TYPES } from './types.js';

// What DuckDB's pg_catalog emulation lacks for psql's `\d`, JDBC's and psycopg's metadata calls,
// and how their catalog SQL is rewritten into the form the engine takes.

// Catalogs that are always empty here (no policies, statistics, publications, inheritance or
// triggers): table macros with PostgreSQL's column names, so that a query binds and finds nothing.
// They are table functions, not tables, so they never appear among the relations a client lists.
const EMPTY_CATALOGS: Record<string, string> = {
  pg_policy:
    'NULL::BIGINT AS oid, NULL::VARCHAR AS polname, NULL::BIGINT AS polrelid, NULL::VARCHAR AS polcmd, NULL::BOOLEAN AS polpermissive, NULL::BIGINT[] AS polroles, NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck',
  pg_statistic_ext:
    'NULL::BIGINT AS oid, NULL::BIGINT AS stxrelid, NULL::VARCHAR AS stxname, NULL::BIGINT AS stxnamespace, NULL::BIGINT AS stxowner, NULL::INTEGER AS stxstattarget, NULL::SMALLINT[] AS stxkeys, NULL::VARCHAR[] AS stxkind, NULL::VARCHAR AS stxexprs',
  pg_publication:
    'NULL::BIGINT AS oid, NULL::VARCHAR AS pubname, NULL::BIGINT AS pubowner, NULL::BOOLEAN AS puballtables, NULL::BOOLEAN AS pubinsert, NULL::BOOLEAN AS pubupdate, NULL::BOOLEAN AS pubdelete, NULL::BOOLEAN AS pubtruncate, NULL::BOOLEAN AS pubviaroot',
  pg_publication_rel:
    'NULL::BIGINT AS oid, NULL::BIGINT AS prpubid, NULL::BIGINT AS prrelid, NULL::VARCHAR AS prqual, NULL::SMALLINT[] AS prattrs',
  pg_publication_namespace: 'NULL::BIGINT AS oid, NULL::BIGINT AS pnpubid, NULL::BIGINT AS pnnspid',
  pg_inherits:
    'NULL::BIGINT AS inhrelid, NULL::BIGINT AS inhparent, NULL::INTEGER AS inhseqno, NULL::BOOLEAN AS inhdetachpending',
  pg_trigger:
    'NULL::BIGINT AS oid, NULL::BIGINT AS tgrelid, NULL::BIGINT AS tgparentid, NULL::VARCHAR AS tgname, NULL::BIGINT AS tgfoid, NULL::SMALLINT AS tgtype, NULL::VARCHAR AS tgenabled, NULL::BOOLEAN AS tgisinternal, NULL::BIGINT AS tgconstraint',
  pg_rewrite:
    'NULL::BIGINT AS oid, NULL::VARCHAR AS rulename, NULL::BIGINT AS ev_class, NULL::VARCHAR AS ev_type, NULL::VARCHAR AS ev_enabled, NULL::BOOLEAN AS is_instead',
  pg_foreign_table: 'NULL::BIGINT AS ftrelid, NULL::BIGINT AS ftserver, NULL::VARCHAR[] AS ftoptions',
  pg_partitioned_table:
    'NULL::BIGINT AS partrelid, NULL::VARCHAR AS partstrat, NULL::SMALLINT AS partnatts, NULL::BIGINT AS partdefid',
  pg_roles:
    'NULL::BIGINT AS oid, NULL::VARCHAR AS rolname, NULL::BOOLEAN AS rolsuper, NULL::BOOLEAN AS rolinherit, NULL::BOOLEAN AS rolcanlogin',
};

// The engine's type ids (pg_attribute.atttypid) and PostgreSQL's oids of the same types:
// boolean, smallint, integer, bigint, date, timestamp, numeric, real, double precision, text.
const DUCK_TYPE_OIDS: Record<number, number> = {
  10: 16,
  11: 21,
  12: 21,
  13: 23,
  14: 20,
  15: 1082,
  19: 1114,
  21: 1700,
  22: 700,
  23: 701,
  25: 25,
};

// PostgreSQL's oid of pg_class (what `'pg_class'::regclass` is).
const PG_CLASS_OID = 1259;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// `'name'::regclass`: an oid as written, or the oid of the relation so named (qualified or not).
function regclass(text: string): string {
  if (/^\d+$/.test(text)) return text;
  // The system catalogs themselves have no oid here (psql asks for pg_trigger's, to find none).
  // pg_class: PostgreSQL's own oid, the classoid of every comment here (huitong_description).
  if (/^("?pg_catalog"?\.)?"?pg_class"?$/i.test(text)) return String(PG_CLASS_OID);
  if (/^"?pg_catalog"?\./i.test(text)) return '0';
  const name = literal(text.replace(/"/g, ''));
  return `(SELECT c.oid FROM pg_catalog.pg_class c JOIN huitong_namespace() n ON n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname = ${name} OR c.relname = ${name} ORDER BY c.oid LIMIT 1)`;
}

// PostgreSQL's types that the engine's pg_type has no row for: oid, name, category, length.
const MISSING_TYPES: [number, string, string, number][] = [
  [25, 'text', 'S', -1],
  [114, 'json', 'U', -1],
];

/** The statements that complete the engine's pg_catalog (run once, in its `main` schema). */
export const CATALOG_SHIM: readonly string[] = [
  // PostgreSQL's settings as the connection reports them (settings.ts), never the engine's own.
  `CREATE MACRO huitong_settings() AS TABLE SELECT name, setting, NULL::VARCHAR AS unit, '' AS category, '' AS short_desc, 'user' AS context, 'string' AS vartype, 'default' AS source, setting AS boot_val, setting AS reset_val FROM (VALUES ${Object.entries(
    SETTINGS,
  )
    .map(([name, value]) => `('${name}', '${value.replace(/'/g, "''")}')`)
    .join(', ')}) AS t(name, setting)`,
  `CREATE MACRO huitong_setting(n) AS coalesce((SELECT setting FROM huitong_settings() WHERE name = lower(n)), error('unrecognized configuration parameter "' || n || '"')), (n, missing_ok) AS (SELECT setting FROM huitong_settings() WHERE name = lower(n))`,
  "CREATE MACRO pg_get_userbyid(id) AS 'huitong'",
  "CREATE MACRO pg_encoding_to_char(id) AS 'UTF8'",
  // Overloads of functions the engine has with fewer arguments (a macro here hides its own).
  'CREATE MACRO pg_get_expr(expr, relation) AS NULL::VARCHAR, (expr, relation, pretty) AS NULL::VARCHAR',
  'CREATE MACRO pg_get_triggerdef(id) AS NULL::VARCHAR, (id, pretty) AS NULL::VARCHAR',
  'CREATE MACRO pg_get_statisticsobjdef_columns(id) AS NULL::VARCHAR',
  'CREATE MACRO pg_relation_is_publishable(id) AS false',
  'CREATE MACRO array_upper(list, dimension) AS len(list)',
  // Sizes of relations that hold no data here (psql's `\\dt+`).
  'CREATE MACRO pg_table_size(id) AS 0::BIGINT',
  'CREATE MACRO pg_relation_size(id) AS 0::BIGINT, (id, fork) AS 0::BIGINT',
  'CREATE MACRO pg_total_relation_size(id) AS 0::BIGINT',
  'CREATE MACRO pg_indexes_size(id) AS 0::BIGINT',
  // PostgreSQL's names of the column types (`text`, `bigint` …), where the engine says `varchar`.
  `CREATE MACRO format_type(id, typmod) AS CASE id ${Object.values(PG_TYPES)
    .map((t) => `WHEN ${t.oid} THEN '${t.name}'`)
    .join(' ')} ELSE pg_catalog.format_type(id, typmod) END`,
  'CREATE MACRO pg_partition_ancestors(id) AS TABLE SELECT id::BIGINT AS relid, 1 AS depth',
  // The namespaces a client lists: the providers' schemas, not the engine's own `main`.
  "CREATE MACRO huitong_namespace() AS TABLE SELECT * FROM pg_catalog.pg_namespace WHERE nspname <> 'main'",
  // Columns with PostgreSQL's type oids (the engine's pg_attribute gives its own type ids).
  `CREATE MACRO huitong_attribute() AS TABLE SELECT * REPLACE (CASE atttypid ${Object.entries(DUCK_TYPE_OIDS)
    .map(([duck, pg]) => `WHEN ${duck} THEN ${pg}`)
    .join(' ')} ELSE 25 END AS atttypid, 'x' AS attstorage) FROM pg_catalog.pg_attribute`,
  // Comments of tables and columns (the engine's own functions do not find them).
  'CREATE MACRO obj_description(id) AS (SELECT description FROM pg_catalog.pg_description WHERE objoid = id AND objsubid = 0 LIMIT 1), (id, catalog) AS (SELECT description FROM pg_catalog.pg_description WHERE objoid = id AND objsubid = 0 LIMIT 1)',
  'CREATE MACRO col_description(id, n) AS (SELECT description FROM pg_catalog.pg_description WHERE objoid = id AND objsubid = n LIMIT 1)',
  // PostgreSQL's types the engine's pg_type lacks (text, json), so that a join on pg_type (JDBC's
  // getColumns) keeps text columns.
  `CREATE MACRO huitong_type() AS TABLE SELECT * FROM pg_catalog.pg_type UNION ALL BY NAME SELECT * FROM (VALUES ${MISSING_TYPES.map(
    ([oid, name, category, length]) =>
      `(${oid}::BIGINT, '${name}', (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = 20), ${length}::BIGINT, 'b', '${category}', 0, 0, -1)`,
  ).join(
    ', ',
  )}) AS t(oid, typname, typnamespace, typlen, typtype, typcategory, typnotnull, typbasetype, typtypmod) WHERE oid NOT IN (SELECT oid FROM pg_catalog.pg_type WHERE oid IS NOT NULL)`,
  // Comments as PostgreSQL files them: classoid is pg_class's oid (JDBC's `'pg_class'::regclass`).
  `CREATE MACRO huitong_description() AS TABLE SELECT * REPLACE (${PG_CLASS_OID}::BIGINT AS classoid) FROM pg_catalog.pg_description`,
  // Relations with the columns psql 15 reads that the engine's pg_class lacks.
  'CREATE MACRO huitong_class() AS TABLE SELECT * REPLACE (NULL::VARCHAR[] AS reloptions), false AS relforcerowsecurity FROM pg_catalog.pg_class',
  ...Object.entries(EMPTY_CATALOGS).map(
    ([name, columns]) => `CREATE MACRO ${name}() AS TABLE SELECT ${columns} WHERE false`,
  ),
];

// The engine's own catalogs that a macro above stands in for.
const REPLACED: Record<string, string> = {
  pg_namespace: 'huitong_namespace',
  pg_class: 'huitong_class',
  pg_attribute: 'huitong_attribute',
  pg_type: 'huitong_type',
  pg_description: 'huitong_description',
  pg_settings: 'huitong_settings',
};
const SHIMMED = [...Object.keys(REPLACED), ...Object.keys(EMPTY_CATALOGS)].join('|');
const NOT_ALIAS = new Set(
  'where join left right inner outer full cross natural on using order group having limit offset union except intersect window'.split(
    ' ',
  ),
);
/** psql's and the drivers' catalog SQL in the form DuckDB's pg_catalog emulation takes. */
export function adapt(sql: string): string {
  return (
    sql
      .replace(/OPERATOR\s*\(\s*pg_catalog\s*\.\s*([~!<>=]+)\s*\)/gi, '$1')
      .replace(/COLLATE\s+pg_catalog\s*\.\s*"?default"?/gi, '')
      .replace(/'((?:[^']|'')*)'\s*::\s*(?:pg_catalog\s*\.\s*)?regclass\b/gi, (_, text: string) =>
        regclass(text.replace(/''/g, "'")),
      )
      // Other object-identifier types (regtype, regnamespace, regproc …) stay the oid they are.
      .replace(/::\s*(?:pg_catalog\s*\.\s*)?reg[a-z]+\b/gi, '')
      // Qualified type names in casts (`::pg_catalog.text`, `::pg_catalog.int2[]`).
      .replace(/::\s*pg_catalog\s*\.\s*/gi, '::')
      // psql's `generate_series(…) s` used as a number (`prattrs[s]`): a column of that name.
      .replace(/(generate_series\s*\((?:[^()]|\([^()]*\))*\))\s+s\b(?!\s*\()/gi, '$1 AS s(s)')
      // PostgreSQL's array literals ('{0}') in DuckDB's list form ('[0]').
      .replace(/'\{([^'{}]*)\}'/g, "'[$1]'")
      // Catalogs completed above: their table macros (qualified or not, never a column `x.pg_…`),
      // keeping the name as the alias when the query gives none (`pg_namespace.oid`).
      .replace(
        new RegExp(
          `(?:\\bpg_catalog\\s*\\.\\s*|(?<![.\\w"']))(${SHIMMED})\\b(?!\\s*[.(])(\\s+(?:as\\s+)?(\\w+))?`,
          'gi',
        ),
        (_, name: string, rest: string | undefined, alias: string | undefined) => {
          const call = `${REPLACED[name.toLowerCase()] ?? name.toLowerCase()}()`;
          return alias && !NOT_ALIAS.has(alias.toLowerCase())
            ? `${call}${rest}`
            : `${call} AS ${name}${rest ?? ''}`;
        },
      )
      // current_setting() reads the connection's settings, not the engine's.
      .replace(/(?<![\w$"])"?current_setting"?(?=\s*\()/gi, 'huitong_setting')
      // Functions the engine lacks are macros of its own schema: found only unqualified.
      .replace(/\bpg_catalog\s*\.\s*(?=[a-z_]+\s*\()/gi, '')
  );
}
