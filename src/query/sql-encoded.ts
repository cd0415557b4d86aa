import { BadRequestError } from '../errors/index.js';
import { traced } from '../observability/index.js';
import type { Caller, QueryContext } from './context.js';
import { countingRows, openRelease } from './release.js';
import { type Column, jsonValue, type RowStream } from './row-stream.js';
import { releaseDetails } from './rows.js';
import { Sandbox } from './sandbox.js';
import { deliverSandboxSql, isSandboxQuery } from './sandbox-release/deliver.js';
import { loadViews, planViews } from './sql.js';
import { deliverStatisticsSql, isStatisticsView } from './statistics-sql.js';

/** A SQL query from a transport that encodes the rows itself (the PostgreSQL wire protocol). */
export interface EncodedSqlQuery {
  sql: string;
  aliases?: Record<string, string>;
  /** `json` for an API read (paged by the client), `csv` for a bulk export (the grant must allow exports). */
  use: 'json' | 'csv';
  /** The transport's name of the format, for the release entry and /metrics (e.g. `pgwire`). */
  label: string;
}

/** What a transport's encoder turns rows into: the bytes that leave, in order. */
export type RowEncoder = (stream: RowStream) => AsyncIterable<Buffer>;

/** An encoded answer: its columns (known before the first row) and the bytes, released as they are pulled. */
export interface EncodedAnswer {
  columns: Column[];
  body: AsyncGenerator<Buffer>;
}

// The JSON answer of the sandbox mode or of a statistics grant, as a row stream (their release is
// already complete: the checks and the noise decide what leaves, as for POST /query).
function streamOfJson(body: string): RowStream {
  const parsed = JSON.parse(body) as { columns: Column[]; rows: Record<string, unknown>[] };
  const rows = parsed.rows.map((r) => parsed.columns.map((c) => r[c.name] ?? null));
  return {
    columns: parsed.columns,
    batches: (async function* () {
      yield rows;
    })(),
  };
}

/**
 * SQL across resources for a transport with its own encoding: the same plan → enforce → execute
 * steps as POST /query (sql.ts), the release entry written before any row is read and completed
 * with the bytes that actually left. An answer the sandbox mode holds for review is refused with
 * 202's code (`held_for_review`), its review named.
 */
export async function deliverSqlEncoded(
  ctx: QueryContext,
  caller: Caller,
  query: EncodedSqlQuery,
  encode: RowEncoder,
): Promise<EncodedAnswer> {
  const asJson = { sql: query.sql, aliases: query.aliases, format: query.use, limit: 10_000, bom: false };
  const { inspected, views, pushdown } = await traced('plan', () => planViews(ctx, caller, asJson));
  const list = [...views.values()];
  if (list.some(isStatisticsView) || isSandboxQuery(list)) {
    const delivery = list.some(isStatisticsView)
      ? await deliverStatisticsSql(ctx, caller, asJson, views)
      : await deliverSandboxSql(ctx, caller, asJson, views, (box) =>
          loadViews(ctx, caller, box, views, inspected.columns),
        );
    if (delivery.kind !== 'json') throw new Error('A checked answer is JSON');
    if (delivery.status === 202) {
      const held = JSON.parse(delivery.body) as { review?: { id: string } };
      throw new BadRequestError(
        'held_for_review',
        `The answer is held for the provider steward's release review${held.review ? ` (${held.review.id})` : ''}`,
      );
    }
    const stream = streamOfJson(delivery.body);
    return { columns: stream.columns, body: toBuffers(encode(stream)) };
  }
  const release = await openRelease(ctx.audit, releaseDetails(caller, list, query.sql, query.label));
  let box: Sandbox | undefined;
  try {
    box = await traced('enforce', async () => {
      const opened = await Sandbox.open(ctx.sandbox);
      box = opened;
      await loadViews(ctx, caller, opened, views, inspected.columns, pushdown);
      return opened;
    });
    const opened = box;
    const counted = countingRows(await traced('execute', () => opened.stream(query.sql)));
    const body = (async function* () {
      try {
        yield* encode(counted.stream);
      } finally {
        // The rows are out: the child is killed now, its end not waited for.
        opened.dismiss();
      }
    })();
    const released = release.stream(body, counted.rows);
    return { columns: counted.stream.columns, body: released };
  } catch (error) {
    await release.fail(error);
    box?.dismiss();
    throw error;
  }
}

async function* toBuffers(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* body;
}

/** A value as the wire's text format carries it (null stays null). */
export function wireText(value: unknown): string | null {
  const v = jsonValue(value);
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
