import { checkFunctionCall, type ReadableTable } from '../query/index.js';
import { solid, type Token } from './lexer.js';

/** A granted resource as the wire shows it: schema (its provider) and table names. */
export interface WireTable extends ReadableTable {
  schema: string;
  table: string;
}

// Lower-case letters, digits and underscores: a name no client needs to quote after its prefix.
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The names of granted resources: one schema per provider, named by its provider code
 * (`p_` + the code), and one table per resource, named by its code without the provider's part
 * (`r_` + classification and sequence); the Chinese names go to comments.
 */
export function wireTables(tables: ReadableTable[]): WireTable[] {
  return tables.map((t) => ({
    ...t,
    schema: `p_${slug(t.provider.code)}`,
    table: `r_${slug(t.code.replace(`-${t.provider.code}-`, '_'))}`,
  }));
}

/** What a statement refers to, besides resources: the catalogs that the metadata engine answers. */
export function readsCatalog(tokens: Token[]): boolean {
  return tokens.some(
    (t) =>
      (t.kind === 'word' || t.kind === 'quoted') &&
      /^(pg_catalog|information_schema|pg_[a-z_]+|current_schema|current_database|version|current_setting|set_config|current_user|session_user|has_\w+_privilege)$/.test(
        t.value,
      ),
  );
}

// The engine's own introspection, variables and readers: they answer about the server (its
// paths, limits, files), not about the catalog a client may see.
const ENGINE_ONLY =
  /^(duckdb_\w+|getvariable|getenv|current_query|which_secret|pragma_\w+|glob|read_\w+|\w+_scan|sniff_csv|parquet_\w+|query|query_table|iceberg_\w+|delta_\w+)$/;

// Catalog queries number an index's or a key's columns with generate_series up to an array's
// bound (JDBC's and psql's key queries): allowed so, never up to a number or a subquery.
function seriesOverAnArray(words: Token[], open: number): boolean {
  let depth = 0;
  let end = open;
  for (; end < words.length; end++) {
    if (words[end]!.text === '(') depth++;
    else if (words[end]!.text === ')' && --depth === 0) break;
  }
  const args = words.slice(open, end + 1);
  const text = args.map((t) => t.text).join('');
  return (
    args.some((t) => /^(array_upper|array_length|len)$/.test(t.value)) &&
    !args.some((t) => t.value === 'select') &&
    !/\d{4}|[*^]/.test(text)
  );
}

/**
 * The first function a catalog query calls that the metadata engine does not run: the engine's
 * own (ENGINE_ONLY) and those the query sandbox's function policy refuses (their output's size is
 * set by an argument, or they reveal settings): the engine runs in the server's process.
 */
export function forbiddenCatalogFunction(tokens: Token[]): string | undefined {
  const words = solid(tokens);
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if ((t.kind !== 'word' && t.kind !== 'quoted') || words[i + 1]?.text !== '(') continue;
    const name = t.value.toLowerCase();
    if (ENGINE_ONLY.test(name)) return name;
    if (name === 'generate_series' && seriesOverAnArray(words, i + 1)) continue;
    // Answered from the connection's own settings (catalog-shim.ts), not the engine's.
    if (name === 'current_setting') continue;
    try {
      checkFunctionCall({ function_name: name, children: [] });
    } catch {
      return name;
    }
  }
  return undefined;
}

/** Whether a statement names a granted table (as `schema.table`, `table` or its quoted code). */
export function namesGrantedTable(tokens: Token[], tables: WireTable[]): boolean {
  const names = new Set(tables.flatMap((t) => [t.table, t.code]));
  return solid(tokens).some((t) => (t.kind === 'word' || t.kind === 'quoted') && names.has(t.value));
}

/** Whether a SELECT names no table at all (`SELECT 1`), so reads nothing of a resource. */
export function readsNoTable(tokens: Token[]): boolean {
  return !solid(tokens).some((t) => t.kind === 'word' && t.value === 'from');
}

/**
 * Renames the tables of a statement to the aliases the pipeline resolves: `schema.table` and
 * `table` become the table's name (an alias of its code); anything else is left as written, for
 * the pipeline to refuse as an unknown resource.
 */
export function toPipelineSql(
  tokens: Token[],
  tables: WireTable[],
): { sql: string; aliases: Record<string, string> } {
  const bySchema = new Map(tables.map((t) => [`${t.schema}.${t.table}`, t]));
  const aliases = Object.fromEntries(tables.map((t) => [t.table, t.code]));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const dot = tokens[i + 1];
    const name = tokens[i + 2];
    if (
      (t.kind === 'word' || t.kind === 'quoted') &&
      dot?.text === '.' &&
      (name?.kind === 'word' || name?.kind === 'quoted')
    ) {
      const table = bySchema.get(`${t.value}.${name.value}`);
      if (table) {
        out.push(table.table);
        i += 2;
        continue;
      }
    }
    out.push(t.kind === 'quoted' && aliases[t.value] ? t.value : t.text);
  }
  return { sql: out.join(''), aliases };
}
