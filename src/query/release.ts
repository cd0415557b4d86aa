import { createHash } from 'node:crypto';
import type { AuditLog, ReleaseDetails } from '../audit/index.js';
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

/**
 * The deliver step's audit hook. The start entry is durable before this returns, so before the
 * first byte leaves (if the log cannot be written, this rejects with 503 and nothing is sent);
 * the completion entry records the rows, bytes and SHA-256 of what actually left, or that the
 * delivery was cut short.
 */
export async function auditedRelease(
  audit: AuditLog,
  details: ReleaseDetails,
  body: AsyncIterable<Buffer>,
  rows: () => number,
): Promise<AsyncGenerator<Buffer>> {
  const start = await audit.beginRelease(details);
  return (async function* () {
    const hash = createHash('sha256');
    let bytes = 0;
    let status: 'complete' | 'aborted' = 'aborted';
    let error: string | undefined;
    try {
      for await (const chunk of body) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
      status = 'complete';
    } catch (e) {
      error = e instanceof Error ? e.message.slice(0, 500) : 'delivery failed';
      throw e;
    } finally {
      await audit
        .completeRelease(start, {
          rows: rows(),
          bytes,
          sha256: hash.digest('hex'),
          status,
          ...(error ? { error } : {}),
        })
        .catch(() => undefined);
    }
  })();
}
