// The staging-database channel (前置库): the consumer names its own PostgreSQL or MySQL/MariaDB
// database; the platform creates the table from the delivered items, loads the snapshot in bulk
// (COPY on PostgreSQL), then applies inserts, updates and deletes in order. Each batch is one
// transaction together with the subscription's position in huitong_delivery_positions, in that
// same database: a batch sent again after a crash is skipped there, so a restart neither skips
// nor repeats.
import type { OutboundPolicy } from '../../../net/index.js';
import type { ChannelDriver } from '../types.js';
import type { StagingBackend, StagingLimits, StagingPosition } from './backend.js';
import type { StagingConfig } from './config.js';
import { mysqlStaging } from './mysql.js';
import { postgresStaging } from './postgres.js';

export type { StagingLimits, StagingPosition } from './backend.js';
export { type StagingConfig, StagingConfigSchema, StagingTlsSchema } from './config.js';
export { KEY_COLUMN, POSITIONS_TABLE } from './table.js';

/** What a staging connection needs: the outbound policy and the consumer's database. */
export interface StagingOptions {
  policy: OutboundPolicy;
  config: StagingConfig;
  limits?: StagingLimits;
}

function backend(options: StagingOptions): StagingBackend {
  return options.config.dialect === 'postgres'
    ? postgresStaging(options.config, options.policy, options.limits)
    : mysqlStaging(options.config, options.policy, options.limits);
}

/** The staging-database driver of one subscription (one connection, opened on first delivery). */
export function stagingDriver(options: StagingOptions): ChannelDriver {
  const writer = backend(options);
  const bulk = writer.loadSnapshot?.bind(writer);
  return {
    deliver: (batch) => writer.deliver(batch),
    ...(bulk ? { loadSnapshot: bulk } : {}),
    close: () => writer.close(),
  };
}

/**
 * The position recorded in the staging database for a subscription (null when nothing was
 * delivered yet, or the position table does not exist). Throws a ChannelError when unreachable.
 */
export async function readStagingPosition(
  options: StagingOptions,
  subscriptionId: string,
): Promise<StagingPosition | null> {
  const writer = backend(options);
  try {
    return await writer.readPosition(subscriptionId);
  } finally {
    await writer.close();
  }
}
