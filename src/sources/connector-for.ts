import { join } from 'node:path';
import type { Selectable } from 'kysely';
import type { SourceTable } from '../store/index.js';
import type { Connector } from './connectors/connector.js';
import { httpJsonConnector } from './connectors/http-json.js';
import { mysqlConnector } from './connectors/mysql.js';
import { parquetConnector } from './connectors/parquet.js';
import { postgresConnector } from './connectors/postgres.js';
import { decryptSecret } from './credentials.js';
import type { SourceRuntime } from './runtime.js';
import {
  DatabaseConfigSchema,
  FileConfigSchema,
  HttpJsonConfigSchema,
  type SourceSecret,
} from './source-config.js';

/** The credentials of a source row, decrypted (empty when it has none). */
export async function secretOf(runtime: SourceRuntime, row: Selectable<SourceTable>): Promise<SourceSecret> {
  return row.secret ? decryptSecret(await runtime.key(), row.id, row.secret) : {};
}

/** Builds the connector a source row describes (not cached: see `connectorOf`). */
export async function buildConnector(
  runtime: SourceRuntime,
  row: Selectable<SourceTable>,
): Promise<Connector> {
  switch (row.kind) {
    case 'postgres':
    case 'mysql': {
      const config = DatabaseConfigSchema.parse(row.config);
      const { password } = await secretOf(runtime, row);
      const make = row.kind === 'postgres' ? postgresConnector : mysqlConnector;
      return make(config, password, runtime.limits, runtime.outbound);
    }
    case 'file':
      return parquetConnector(join(runtime.dataDir, FileConfigSchema.parse(row.config).path));
    case 'http_json':
      return httpJsonConnector(
        HttpJsonConfigSchema.parse(row.config),
        await secretOf(runtime, row),
        runtime.outbound,
      );
    default:
      throw new Error(`unknown source kind ${row.kind}`);
  }
}

/** The source's pooled connector, reopened when the row has changed since it was opened. */
export function connectorOf(runtime: SourceRuntime, row: Selectable<SourceTable>): Promise<Connector> {
  return runtime.connectors.get(row.id, new Date(row.updated_at).toISOString(), () =>
    buildConnector(runtime, row),
  );
}
