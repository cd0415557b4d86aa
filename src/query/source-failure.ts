import { AppError } from '../errors/index.js';
import { recordSourceError } from '../observability/index.js';
import { type Connector, CopyUnsupported } from '../sources/index.js';

// A source's own error text can quote a value: PostgreSQL answers a consumer's filter with
// `invalid input syntax for type integer: "张三"`, a file engine names the cell it could not
// cast. sources/ already turns drivers' errors into coded ones; this is the pipeline's own
// guarantee over every connector, present and future: of an error raised while a source is
// read, only the code leaves, with a message of ours and details without free text.

// The messages of the codes a read can fail with. Codes not listed get GENERIC.
const MESSAGES: Record<string, string> = {
  source_unreachable: 'The source of this resource cannot be reached now',
  source_auth_failed: 'The source of this resource refused the platform’s credentials',
  source_database_missing: 'The database of this resource is gone at its source',
  source_tls_failed: 'The secure connection to the source of this resource failed',
  source_query_failed: 'The source of this resource could not run the read',
  source_schema_changed: 'A table or column this resource reads is gone at its source',
  source_response_invalid: 'The source of this resource answered something it cannot read',
  pushdown_unsupported: 'The source of this resource cannot run this read',
  invalid_encoding: 'The source of this resource holds text in an unexpected encoding',
  malformed_file: 'The file of this resource cannot be read',
  type_cast_failed: 'A value at the source does not have the type its column declares',
};
const GENERIC = 'Reading the source of this resource failed';

// Codes raised by our own checks of the read plan before anything is read: their messages name
// only columns, types and the consumer's own values, and stay.
const PLAN_CODES = new Set(['invalid_read_plan', 'unknown_column', 'unknown_table', 'unknown_field']);

// Detail fields that are codes or names, never values; anything else is dropped.
const SAFE_DETAIL = /^(?:[A-Z0-9_]{1,40}|[a-z_]{1,40}|[A-Za-z ]{1,30} Error)$/;
const DETAIL_KEYS = ['sqlstate', 'errno', 'reason', 'column', 'field', 'status'];

function safeDetails(details: unknown): Record<string, unknown> | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const kept: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) {
    const value = (details as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isInteger(value)) kept[key] = value;
    else if (typeof value === 'string' && SAFE_DETAIL.test(value)) kept[key] = value;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** The error a client may see for a failed source read: its code, our message, no quoted value. */
export function sourceFailure(error: unknown): AppError {
  if (!(error instanceof AppError))
    return new AppError(400, 'source_query_failed', MESSAGES.source_query_failed!);
  if (PLAN_CODES.has(error.code)) return error;
  return new AppError(error.status, error.code, MESSAGES[error.code] ?? GENERIC, safeDetails(error.details));
}

/** The failure as the client sees it, counted by the source's kind and the error's code. */
function counted(kind: string, error: unknown): AppError {
  const failure = sourceFailure(error);
  // A plan the consumer got wrong (an unknown column) is no failure of the source.
  if (!PLAN_CODES.has(failure.code)) recordSourceError(kind, failure.code);
  return failure;
}

async function* guardedChunks(kind: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    throw counted(kind, error);
  }
}

async function* guardedBatches(
  kind: string,
  batches: AsyncIterable<unknown[][]>,
): AsyncGenerator<unknown[][]> {
  try {
    yield* batches;
  } catch (error) {
    throw counted(kind, error);
  }
}

/** The connector with its reads' errors, at the start or mid-stream, passed through sourceFailure. */
export function guardReads(connector: Connector): Connector {
  return {
    kind: connector.kind,
    dialect: connector.dialect,
    pushdown: connector.pushdown,
    test: () => connector.test(),
    describe: (options) => connector.describe(options),
    describeFrom: (from) => connector.describeFrom(from),
    async read(plan, options) {
      try {
        const result = await connector.read(plan, options);
        return { columns: result.columns, batches: guardedBatches(connector.kind, result.batches) };
      } catch (error) {
        throw counted(connector.kind, error);
      }
    },
    ...(connector.copyOut
      ? {
          async copyOut(plan) {
            try {
              const out = await connector.copyOut!(plan);
              return { ...out, chunks: guardedChunks(connector.kind, out.chunks) };
            } catch (error) {
              // Not a failure: the caller reads the ordinary way.
              if (error instanceof CopyUnsupported) throw error;
              throw counted(connector.kind, error);
            }
          },
        }
      : {}),
    close: () => connector.close(),
  };
}
