import type { Config } from '../config/index.js';
import { sourceRuntimeFromConfig } from '../sources/index.js';
import { traceSecretFrom } from '../tracing/index.js';

/**
 * The leak-tracing key of the configured platform (the one the query pipeline marks with), for
 * `huitong trace`: derived from the credentials key, which the sources runtime loads.
 */
export async function configuredTraceSecret(config: Config): Promise<Buffer> {
  return traceSecretFrom(await sourceRuntimeFromConfig(config).key());
}
