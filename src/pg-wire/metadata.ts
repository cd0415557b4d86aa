import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnType } from '../query/index.js';
import { adapt, CATALOG_SHIM } from './catalog-shim.js';
import { type Token, textOf } from './lexer.js';
import type { WireTable } from './names.js';
import { PG_TYPES } from './types.js';

/** An answer of the metadata engine: columns and text rows. */
export interface MetadataAnswer {
  columns: { name: string; type: ColumnType }[];
  rows: unknown[][];
}

// Catalog queries take milliseconds; a client's listing of a large grant, well under a second.
const CATALOG_TIMEOUT_MS = 5000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

function columnType(duck: string): ColumnType {
  if (/INT/.test(duck)) return 'integer';
  if (/DOUBLE|FLOAT|REAL/.test(duck)) return 'number';
  if (/DECIMAL/.test(duck)) return 'decimal';
  if (duck === 'BOOLEAN') return 'boolean';
  if (duck === 'DATE') return 'date';
  if (/TIMESTAMP/.test(duck)) return 'timestamp';
  return 'string';
}

/**
 * The catalog a connection sees (pg_catalog, information_schema): an in-memory DuckDB holding one
 * empty table per granted resource, its items as columns, the Chinese names as comments. No
 * data is ever in it; a query that names a resource goes to the query pipeline instead.
 */
export class MetadataEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Builds the catalog of these tables. */
  static async open(tables: WireTable[]): Promise<MetadataEngine> {
    const instance = await DuckDBInstance.create(':memory:', {
      enable_external_access: 'false',
      threads: '1',
      memory_limit: '64MB',
    });
    const connection = await instance.connect();
    const engine = new MetadataEngine(instance, connection);
    const ddl: string[] = [...CATALOG_SHIM];
    for (const schema of new Set(tables.map((t) => t.schema))) ddl.push(`CREATE SCHEMA ${quote(schema)}`);
    for (const t of tables) {
      const name = `${quote(t.schema)}.${quote(t.table)}`;
      const cols = t.columns.map((c) => `${quote(c.name)} ${PG_TYPES[c.type].duck}`);
      ddl.push(`CREATE TABLE ${name} (${cols.join(', ')})`);
      ddl.push(`COMMENT ON TABLE ${name} IS ${literal(`${t.name} (${t.code}; ${t.provider.name})`)}`);
      for (const c of t.columns)
        if (c.label) ddl.push(`COMMENT ON COLUMN ${name}.${quote(c.name)} IS ${literal(c.label)}`);
    }
    const schemas = [...new Set(tables.map((t) => t.schema))];
    ddl.push(`SET search_path = ${literal(['main', ...schemas].join(','))}`);
    ddl.push('SET lock_configuration = true');
    for (const statement of ddl) await connection.run(statement);
    return engine;
  }

  /**
   * Answers a catalog query, interrupted after CATALOG_TIMEOUT_MS: the engine runs in the server's
   * process, and a client's query over the catalog (a cross join of its tables) must not hold it.
   */
  async answer(tokens: Token[]): Promise<MetadataAnswer> {
    const timer = setTimeout(() => this.connection.interrupt(), CATALOG_TIMEOUT_MS);
    const reader = await this.connection
      .runAndReadAll(adapt(textOf(tokens)))
      .finally(() => clearTimeout(timer));
    const columns = reader.columnNames().map((name, i) => ({
      name,
      type: columnType(String(reader.columnTypes()[i])),
    }));
    return { columns, rows: reader.getRows() as unknown[][] };
  }

  /** Frees the engine. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
