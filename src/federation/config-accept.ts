import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../errors/index.js';
import type { FederationConfig } from './config-schema.js';

/**
 * Whether a node takes `incoming` (already signature-checked) in place of the configuration it
 * holds: never a lower version (a replayed old configuration could re-admit a revoked node), never
 * a different configuration under the same version (the root showing two), never an expired one.
 * Returns true when it is newer, false when it is the one held.
 */
export function acceptConfig(
  held: FederationConfig | undefined,
  incoming: FederationConfig,
  now: Date = new Date(),
): boolean {
  if (Date.parse(incoming.expiresAt) <= now.getTime()) throw expired(incoming);
  if (!held) return true;
  if (held.federation !== incoming.federation)
    throw new AppError(502, 'federation_config_rollback', 'The configuration is of another federation', {
      held: held.federation,
      offered: incoming.federation,
    });
  if (incoming.version < held.version)
    throw new AppError(
      502,
      'federation_config_rollback',
      'The configuration offered is older than the one held',
      {
        held: held.version,
        offered: incoming.version,
      },
    );
  if (incoming.version === held.version) {
    if (isDeepStrictEqual(held, incoming)) return false;
    throw new AppError(
      502,
      'federation_config_rollback',
      'Two different configurations carry the same version',
      { version: held.version },
    );
  }
  return true;
}

/** Refuses cross-node traffic when the held configuration has expired (or none is held). */
export function assertConfigCurrent(
  held: FederationConfig | undefined,
  now: Date = new Date(),
): FederationConfig {
  if (!held)
    throw new AppError(503, 'federation_config_expired', 'This node holds no federation configuration');
  if (Date.parse(held.expiresAt) <= now.getTime()) throw expired(held);
  return held;
}

function expired(config: FederationConfig): AppError {
  return new AppError(503, 'federation_config_expired', 'The federation configuration has expired', {
    version: config.version,
    expiresAt: config.expiresAt,
  });
}
