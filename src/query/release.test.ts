import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditLog, ReleaseDetails, ReleaseOutcome, ReleaseStart } from '../audit/index.js';
import { AppError, BadRequestError } from '../errors/index.js';
import { countingRows, failureOf, openRelease } from './release.js';
import type { RowStream } from './row-stream.js';

// The write-ahead release handle, against a recording audit log: the order of the entries, what
// each completion says, and that a failure never passes for a success (the HTTP suites check the
// same through the real log).
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const EMPTY = sha('');

function recordingLog(options: { failBegin?: boolean; failComplete?: boolean } = {}) {
  const events: Array<['begin', ReleaseDetails] | ['complete', ReleaseStart, ReleaseOutcome]> = [];
  const start = { index: 7, resources: ['R-1'] } as unknown as ReleaseStart;
  const audit = {
    beginRelease: async (details: ReleaseDetails) => {
      if (options.failBegin) throw new Error('log down');
      events.push(['begin', details]);
      return start;
    },
    completeRelease: async (s: ReleaseStart, outcome: ReleaseOutcome) => {
      if (options.failComplete) throw new Error('log down');
      events.push(['complete', s, outcome]);
      return { index: 8 };
    },
  } as unknown as AuditLog;
  return { audit, events, start };
}

const DETAILS = { resources: ['R-1'] } as unknown as ReleaseDetails;

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}

async function drain(body: AsyncIterable<Buffer>) {
  const out: string[] = [];
  for await (const c of body) out.push(c.toString());
  return out.join('');
}

describe('openRelease', () => {
  it('writes the start entry before it returns, and fails when it cannot', async () => {
    const { audit, events } = recordingLog();
    await openRelease(audit, DETAILS);
    expect(events).toEqual([['begin', DETAILS]]);
    await expect(openRelease(recordingLog({ failBegin: true }).audit, DETAILS)).rejects.toThrow('log down');
  });

  it('completes a JSON answer with its rows, bytes and hash, and refuses to be sent if that fails', async () => {
    const { audit, events, start } = recordingLog();
    const release = await openRelease(audit, DETAILS);
    const body = '{"名":"值"}';
    await release.json(body, 3);
    expect(events[1]).toEqual([
      'complete',
      start,
      { rows: 3, bytes: Buffer.byteLength(body), sha256: sha(body) },
    ]);
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    // Completed once: a second completion is a bug, and a failure afterwards changes nothing.
    await expect(release.json(body, 3)).rejects.toThrow('completed once');
    expect(() => release.stream(chunks('x'), () => 1)).toThrow('completed once');
    await release.fail(new Error('late'));
    expect(events).toHaveLength(2);
    const down = recordingLog({ failComplete: true });
    await expect((await openRelease(down.audit, DETAILS)).json(body, 3)).rejects.toThrow('log down');
  });

  it('completes a stream once it ends, with what actually left', async () => {
    const { audit, events, start } = recordingLog();
    const release = await openRelease(audit, DETAILS);
    let rows = 0;
    const body = release.stream(
      (async function* () {
        for await (const c of chunks('ab', 'cde')) {
          rows++;
          yield c;
        }
      })(),
      () => rows,
    );
    expect(events).toHaveLength(1);
    expect(await drain(body)).toBe('abcde');
    expect(events[1]).toEqual([
      'complete',
      start,
      { rows: 2, bytes: 5, sha256: sha('abcde'), status: 'complete' },
    ]);
    await release.fail(new Error('after'));
    expect(events).toHaveLength(2);
  });

  it('completes a stream that breaks as aborted with the error’s code, and one the client leaves as aborted', async () => {
    const broken = recordingLog();
    const release = await openRelease(broken.audit, DETAILS);
    const body = release.stream(
      (async function* () {
        yield Buffer.from('ab');
        throw new BadRequestError('query_failed', 'value 42 is not a date', { class: 'Conversion' });
      })(),
      () => 1,
    );
    await expect(drain(body)).rejects.toThrow('value 42');
    expect(broken.events[1]).toEqual([
      'complete',
      broken.start,
      { rows: 1, bytes: 2, sha256: sha('ab'), status: 'aborted', error: 'query_failed:Conversion' },
    ]);
    const left = recordingLog();
    const stream = (await openRelease(left.audit, DETAILS)).stream(chunks('a', 'b', 'c'), () => 0);
    for await (const _ of stream) break;
    expect(left.events[1]).toEqual([
      'complete',
      left.start,
      { rows: 0, bytes: 1, sha256: sha('a'), status: 'aborted' },
    ]);
    // A completion the log refuses does not hide the stream's end.
    const down = recordingLog({ failComplete: true });
    expect(await drain((await openRelease(down.audit, DETAILS)).stream(chunks('z'), () => 1))).toBe('z');
  });

  it('completes a failure as failed with the code only, once, and never throws', async () => {
    const { audit, events, start } = recordingLog();
    const release = await openRelease(audit, DETAILS);
    await release.fail(new BadRequestError('query_failed', 'Could not convert 张三 to INTEGER'));
    await release.fail(new Error('again'));
    expect(events).toEqual([
      ['begin', DETAILS],
      ['complete', start, { rows: 0, bytes: 0, sha256: EMPTY, status: 'failed', error: 'query_failed' }],
    ]);
    expect(JSON.stringify(events)).not.toContain('张三');
    await expect(release.json('{}', 0)).rejects.toThrow('completed once');
    const down = recordingLog({ failComplete: true });
    await expect((await openRelease(down.audit, DETAILS)).fail(new Error('x'))).resolves.toBeUndefined();
  });
});

describe('failureOf', () => {
  it('says the code, with the class of an engine error, never a message', () => {
    expect(failureOf(new Error('secret 42'))).toBe('internal_error');
    expect(failureOf('text')).toBe('internal_error');
    expect(failureOf(new AppError(400, 'query_failed', 'secret', { class: 'Conversion' }))).toBe(
      'query_failed:Conversion',
    );
    expect(failureOf(new AppError(400, 'query_failed', 'secret', { class: 7 }))).toBe('query_failed');
    expect(failureOf(new AppError(400, 'query_failed', 'secret'))).toBe('query_failed');
  });
});

describe('countingRows', () => {
  it('counts the rows that have passed, batch by batch', async () => {
    const stream: RowStream = {
      columns: [{ name: 'a', type: 'string' }],
      batches: (async function* () {
        yield [['1'], ['2']];
        yield [['3']];
      })(),
    };
    const counted = countingRows(stream);
    expect(counted.stream.columns).toBe(stream.columns);
    const seen: number[] = [];
    for await (const batch of counted.stream.batches) seen.push(batch.length, counted.rows());
    expect(seen).toEqual([2, 2, 1, 3]);
    expect(counted.rows()).toBe(3);
  });
});
