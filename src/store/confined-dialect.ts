import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

/**
 * Reads the tables of one schema only. Kysely's own introspector (which its migrator uses to find
 * its table) reads every schema of the database and calls `has_schema_privilege` by name, so it
 * fails with `schema "…" does not exist` whenever another tenant of the database drops a schema
 * at that moment (seen in CI: test files, each in its own schema, run side by side).
 */
class ConfinedIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return [{ name: this.schema }];
  }

  async getTables(_options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      table: string;
      is_view: boolean;
      column: string | null;
      type: string | null;
    }>`
      SELECT c.relname AS table, c.relkind = 'v' AS is_view, a.attname AS column, t.typname AS type
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       WHERE ns.nspname = ${this.schema} AND c.relkind IN ('r', 'v', 'p')
       ORDER BY c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: this.schema, isView: row.is_view, columns: [] };
        tables.set(row.table, table);
      }
      if (row.column)
        table.columns.push({
          name: row.column,
          dataType: row.type ?? 'unknown',
          isNullable: true,
          isAutoIncrementing: false,
          hasDefaultValue: false,
        });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** PostgreSQL's dialect with introspection confined to the store's own schema. */
export class ConfinedPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new ConfinedIntrospector(db, this.schema);
  }
}
