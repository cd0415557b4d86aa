import { DuckDBInstance } from '@duckdb/node-api';

let parser: Promise<import('@duckdb/node-api').DuckDBConnection> | undefined;

/**
 * A DuckDB connection that holds no data and reaches no file, used only for its parser
 * (`json_serialize_sql`), so that what a query touches is judged by the engine that runs it.
 */
function parserConnection() {
  parser ??= (async () => {
    const instance = await DuckDBInstance.create(':memory:', {
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      lock_configuration: 'true',
      threads: '1',
      memory_limit: '64MB',
    });
    return instance.connect();
  })();
  return parser;
}

/** DuckDB's own syntax tree of a statement list, as JSON (only SELECTs serialise). */
export async function serializeSql(sql: string): Promise<unknown> {
  const connection = await parserConnection();
  const prepared = await connection.prepare('SELECT json_serialize_sql($1::VARCHAR) AS tree');
  prepared.bindVarchar(1, sql);
  const reader = await prepared.runAndReadAll();
  const tree = reader.getRowObjects()[0]?.tree;
  return parseTree(String(tree));
}

// DuckDB writes the constants 1e999, 'inf' and 'nan' as bare Infinity and NaN, which JSON does
// not have: outside strings they become tagged strings, turned back into numbers by the reviver.
const NON_FINITE = /("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g;
// The tag as JSON text (an escaped NUL, which a DuckDB string holds only if the SQL spelt it) and parsed.
const TAG_JSON = '\\u0000non-finite:';
const TAG = '\u0000non-finite:';

/** JSON.parse of a serialised tree, with DuckDB's non-finite numbers as JS numbers. */
export function parseTree(json: string): unknown {
  const tagged = json.replace(NON_FINITE, (match, string: string | undefined, bare: string | undefined) =>
    string !== undefined ? match : `"${TAG_JSON}${bare}"`,
  );
  return JSON.parse(tagged, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(TAG) ? Number(value.slice(TAG.length)) : value,
  );
}

/** SQL text of a syntax tree in the form `serializeSql` answers (DuckDB's `json_deserialize_sql`). */
export async function deserializeSql(tree: unknown): Promise<string> {
  const connection = await parserConnection();
  const prepared = await connection.prepare('SELECT json_deserialize_sql($1::JSON) AS sql');
  // JSON numbers past 2^53 (an absent location is 2^64 − 1) do not survive a round trip through
  // JavaScript, and the deserialiser insists on an unsigned integer there: locations are zeroed.
  prepared.bindVarchar(
    1,
    JSON.stringify(tree, (key, value) => (key === 'query_location' ? 0 : value)),
  );
  const reader = await prepared.runAndReadAll();
  return String(reader.getRowObjects()[0]?.sql);
}

let aggregates: Promise<Set<string>> | undefined;

/** The names of DuckDB's aggregate functions (lower-case), read once from its own catalog. */
export function aggregateFunctionNames(): Promise<Set<string>> {
  aggregates ??= (async () => {
    const connection = await parserConnection();
    const reader = await connection.runAndReadAll(
      "SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions() WHERE function_type = 'aggregate'",
    );
    return new Set(reader.getRowObjects().map((r) => String(r.name)));
  })();
  return aggregates;
}
