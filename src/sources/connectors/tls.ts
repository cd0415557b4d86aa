import type { TlsOptions } from '../source-config.js';

/** The TLS settings both drivers accept (a subset of node:tls options). */
export interface TlsClientOptions {
  rejectUnauthorized: boolean;
  ca?: string;
  servername?: string;
}

/** TLS options for a database driver, or undefined for a plain connection. */
export function tlsOptions(tls: TlsOptions, host: string): TlsClientOptions | undefined {
  if (tls.mode === 'disable') return undefined;
  // `require` encrypts without checking who answers (libpq's sslmode=require); verify-full checks both.
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ...(tls.ca ? { ca: tls.ca } : {}),
    servername: tls.serverName ?? host,
  };
}
