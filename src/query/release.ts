import { createHash } from 'node:crypto';
import type { AuditLog, ReleaseDetails, ReleaseStart, UsageAdjustment } from '../audit/index.js';
import { AppError } from '../errors/index.js';
import {
  activeContext,
  type Context,
  endSpan,
  recordRelease,
  startSpan,
  traced,
} from '../observability/index.js';
import type { RowStream } from './row-stream.js';

/** A stream whose rows are counted as they pass, for the completion entry. */
export function countingRows(stream: RowStream): { stream: RowStream; rows: () => number } {
  let rows = 0;
  const batches = (async function* () {
    for await (const batch of stream.batches) {
      rows += batch.length;
      yield batch;
    }
  })();
  return { stream: { columns: stream.columns, batches }, rows: () => rows };
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * What the completion entry says of a failure: the error's code (and its class, for a sandbox
 * failure), never its message, which for a source or an engine can quote the data.
 */
export function failureOf(error: unknown): string {
  if (!(error instanceof AppError)) return 'internal_error';
  const details = error.details as { class?: unknown } | undefined;
  return typeof details?.class === 'string' ? `${error.code}:${details.class}` : error.code;
}

/**
 * A release whose start entry is durable: it is opened before any data is read (so a query,
 * a page or a verification that fails on the data — and whose error could derive from it — is
 * logged too), and completed exactly once: with the figures of what left, or as failed.
 */
export interface OpenRelease {
  /**
   * Completes a whole answer (JSON): rows, bytes and SHA-256 of the body, before it is sent, and
   * with it (same statement) the usage it settles, if any.
   */
  json(body: string, rows: number, usage?: UsageAdjustment): Promise<void>;
  /** Completes a stream as it ends: what actually left, or that it was cut short. */
  stream(body: AsyncIterable<Buffer>, rows: () => number): AsyncGenerator<Buffer>;
  /** Completes the release as failed, with the error's code; never throws (the error is what matters). */
  fail(error: unknown): Promise<void>;
}

/**
 * Writes a release's start entry (durable when this resolves; 503 `audit_unavailable` and
 * nothing read if the log cannot be written) and returns the handle that completes it.
 */
export async function openRelease(audit: AuditLog, details: ReleaseDetails): Promise<OpenRelease> {
  const start = await traced('audit', () => audit.beginRelease(details), {
    attributes: { 'huitong.audit.entry': 'data.release.start' },
  });
  // The figures go to /metrics once the completion entry is written: the one place every release
  // of every transport passes (rows, SQL, verification; JSON and streams).
  const counted = (status: string, rows: number, bytes: number) =>
    recordRelease({ resources: start.resources, format: details.format ?? 'json', status, rows, bytes });
  let settled = false;
  const settle = () => {
    if (settled) throw new Error('A release is completed once');
    settled = true;
  };
  return {
    async json(body, rows, usage) {
      settle();
      const sha256 = createHash('sha256').update(body).digest('hex');
      const bytes = Buffer.byteLength(body);
      // Fail closed: an answer whose completion cannot be logged is not sent.
      await completion(() => audit.completeRelease(start, { rows, bytes, sha256 }, usage));
      counted('complete', rows, bytes);
    },
    stream(body, rows) {
      settle();
      // The socket pulls the stream from outside the request's context: its spans are tied to
      // the request's by the context in force now, when the handler builds the answer.
      return completedStream(audit, start, body, rows, counted, activeContext());
    },
    async fail(error) {
      if (settled) return;
      settled = true;
      await completion(() =>
        audit.completeRelease(start, {
          rows: 0,
          bytes: 0,
          sha256: EMPTY_SHA256,
          status: 'failed',
          error: failureOf(error),
        }),
      ).catch(() => undefined);
      counted('failed', 0, 0);
    },
  };
}

const completion = <T>(write: () => Promise<T>, parent = activeContext()) =>
  traced('audit', write, { attributes: { 'huitong.audit.entry': 'data.release.complete' }, parent });

async function* completedStream(
  audit: AuditLog,
  start: ReleaseStart,
  body: AsyncIterable<Buffer>,
  rows: () => number,
  counted: (status: string, rows: number, bytes: number) => void,
  parent: Context,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let bytes = 0;
  let status: 'complete' | 'aborted' = 'aborted';
  let error: string | undefined;
  const deliver = startSpan('deliver', { parent });
  let thrown: unknown;
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
    status = 'complete';
  } catch (e) {
    error = failureOf(e);
    thrown = e;
    throw e;
  } finally {
    deliver.setAttributes({ 'huitong.rows': rows(), 'huitong.bytes': bytes, 'huitong.status': status });
    endSpan(deliver, thrown);
    await completion(
      () =>
        audit.completeRelease(start, {
          rows: rows(),
          bytes,
          sha256: hash.digest('hex'),
          status,
          ...(error ? { error } : {}),
        }),
      parent,
    ).catch(() => undefined);
    counted(error ? 'failed' : status, rows(), bytes);
  }
}
