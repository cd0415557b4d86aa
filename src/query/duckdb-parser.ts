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
  return JSON.parse(String(tree));
}
