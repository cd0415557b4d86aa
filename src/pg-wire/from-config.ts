import { readFile } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { type PgWireServer, startPgWire } from './server.js';
import type { SessionContext } from './session.js';

/** Starts the listener as configured (HUITONG_PG_PORT, HUITONG_PG_TLS_CERT/KEY); undefined when off. */
export async function startPgWireFromConfig(
  config: Config,
  context: SessionContext,
): Promise<PgWireServer | undefined> {
  if (config.HUITONG_PG_PORT === 0) return undefined;
  const tls =
    config.HUITONG_PG_TLS_CERT && config.HUITONG_PG_TLS_KEY
      ? { cert: await readFile(config.HUITONG_PG_TLS_CERT), key: await readFile(config.HUITONG_PG_TLS_KEY) }
      : undefined;
  return startPgWire({
    ...context,
    port: config.HUITONG_PG_PORT,
    host: config.HUITONG_HOST,
    tls,
    // The HTTP login's lockout (http/routes/auth.ts): one count for both doors.
    throttle: {
      account: {
        backoffAfter: config.HUITONG_LOGIN_BACKOFF_AFTER,
        lockAfter: config.HUITONG_LOGIN_LOCK_AFTER,
        lockSeconds: config.HUITONG_LOGIN_LOCK_SECONDS,
      },
      address: {
        backoffAfter: config.HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER,
        lockAfter: config.HUITONG_LOGIN_ADDRESS_LOCK_AFTER,
        lockSeconds: config.HUITONG_LOGIN_LOCK_SECONDS,
      },
      forgetSeconds: config.HUITONG_LOGIN_FORGET_SECONDS,
    },
  });
}
