import type { Kysely } from 'kysely';
import { ConflictError } from '../../errors/index.js';
import type { Database } from '../../store/index.js';
import { connectorOf, secretOf } from '../connector-for.js';
import { openMysqlSession } from '../connectors/mysql-session.js';
import { openPostgresSession, postgresClientConfig, postgresTypeParser } from '../connectors/postgres.js';
import type { SourceRuntime } from '../runtime.js';
import { DatabaseConfigSchema, FileConfigSchema } from '../source-config.js';
import { getSourceRow } from '../sources.js';
import { storedBinlogMarks } from './binlog-marks.js';
import { storedMarks } from './capture-marks.js';
import { diffCapture } from './diff.js';
import { mysqlBinlogCapture } from './mysql-binlog.js';
import { type PollOptions, pollingCapture } from './poll.js';
import { postgresLogicalCapture } from './postgres-logical.js';
import type { CaptureMethod, ChangeCapture } from './types.js';

/** Which capture to open: the source's own change log (the default) or polling. */
export interface OpenCaptureOptions extends PollOptions {
  method?: CaptureMethod;
}

/** The capture methods a source kind offers, best first. */
export function captureMethodsOf(kind: string): CaptureMethod[] {
  if (kind === 'postgres') return ['logical', 'poll'];
  if (kind === 'mysql') return ['binlog', 'poll'];
  // A file or an HTTP JSON source has no keyset to poll by: each version is diffed by key.
  if (kind === 'http_json' || kind === 'file') return ['diff'];
  return [];
}

/**
 * A change capture over a registered source: PostgreSQL's logical replication and MySQL/MariaDB's
 * row-based binlog by default, polling by an incremental column for those two when asked, and a
 * diff by key of each version for files (each upload) and HTTP JSON sources (each poll). A binlog that is off is refused when the capture is prepared
 * (`capture_not_configured`), not silently replaced by polling, which needs the steward's
 * incremental column. Every connection goes through the outbound policy.
 */
export async function openCapture(
  db: Kysely<Database>,
  runtime: SourceRuntime,
  sourceId: string,
  options: OpenCaptureOptions = {},
): Promise<ChangeCapture> {
  const row = await getSourceRow(db, sourceId);
  const methods = captureMethodsOf(row.kind);
  // Polling asked of a source read whole (file, HTTP JSON) is its diff.
  const asked = options.method === 'poll' && !methods.includes('poll') ? 'diff' : options.method;
  const method = asked ?? methods[0];
  if (!method || !methods.includes(method))
    throw new ConflictError(
      'capture_not_supported',
      `A ${row.kind} source cannot be captured by ${method ?? 'any method'}`,
    );
  if (method === 'poll')
    return pollingCapture(await connectorOf(runtime, row), {
      ...options,
      marks: storedMarks(db, row.id, 'poll'),
    });
  if (method === 'diff') {
    const current = () => getSourceRow(db, sourceId);
    return diffCapture(
      {
        // A file's version is its stored path (each upload writes a new one); HTTP is read each poll.
        version: async () => {
          const now = await current();
          return now.kind === 'file' ? FileConfigSchema.parse(now.config).path : null;
        },
        connector: async () => connectorOf(runtime, await current()),
      },
      { ...options, marks: storedMarks(db, row.id, 'diff') },
    );
  }
  const config = DatabaseConfigSchema.parse(row.config);
  const { password } = await secretOf(runtime, row);
  if (method === 'binlog')
    return mysqlBinlogCapture(row.id, {
      config,
      password,
      limits: runtime.limits,
      outbound: runtime.outbound,
      session: () => openMysqlSession(config, password, runtime.limits, runtime.outbound),
      marks: storedBinlogMarks(db, row.id),
    });
  const clientConfig = postgresClientConfig(config, password, runtime.limits, runtime.outbound);
  return postgresLogicalCapture(row.id, {
    clientConfig,
    session: () => openPostgresSession(clientConfig, runtime.limits.connectTimeoutMs),
    typeParser: postgresTypeParser,
  });
}
