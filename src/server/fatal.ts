import pino from 'pino';

// A URL with credentials (postgres://user:password@host/db) or the key=value form of one.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;
const KEY_VALUES = /\b(password|user|host|port|database|dbname)=\S+/gi;

/** A message with any connection string's credentials replaced. */
export function scrub(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@').replace(KEY_VALUES, '$1=***');
}

/**
 * An error as the log shows it: type, code, SQLSTATE-like code and a scrubbed message and stack.
 * Never the driver's own fields (a pg error carries the client's host, port, user and database).
 */
export function describeError(error: unknown, { stack = true } = {}): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrub(String(error)) };
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: scrub(error.message),
    ...(typeof code === 'string' ? { code } : {}),
    ...(stack && error.stack ? { stack: scrub(error.stack) } : {}),
    ...(error.cause instanceof Error ? { cause: describeError(error.cause, { stack: false }) } : {}),
  };
}

const logger = pino({ base: { name: 'huitong' } }, pino.destination({ fd: 2, sync: true }));

/** Writes one JSON line (pino, level fatal) for an error that ends the process. */
export function logFatal(error: unknown, msg: string): void {
  // `error`, not pino's `err`: its serializer would walk the driver's object again.
  logger.fatal({ error: describeError(error) }, msg);
}

/**
 * From now on, an error nothing caught (an unhandled rejection, an uncaught exception) is one
 * JSON line on stderr and exit code 1, instead of Node's multi-line dump of the error object.
 */
export function exitOnFatal(): void {
  process.on('uncaughtException', (error) => {
    logFatal(error, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logFatal(reason, 'unhandled rejection');
    process.exit(1);
  });
}
