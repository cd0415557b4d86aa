import { describe, expect, it } from 'vitest';
import { parseScrape } from '../../test/support/prometheus.js';
import { AppError, BadRequestError } from '../errors/index.js';
import { metricsText } from '../observability/index.js';
import type { Connector } from '../sources/index.js';
import { guardReads, sourceFailure } from './source-failure.js';

const VALUE = '张三350502199001012447';

/** A connector whose read fails as given: at the start, or after a first batch. */
function failing(error: unknown, after: 'start' | 'batch'): Connector {
  return {
    kind: 'postgres',
    dialect: 'postgres',
    pushdown: true,
    test: async () => ({ ok: true }) as never,
    describe: async () => ({}) as never,
    describeFrom: async () => [],
    read: async () => {
      if (after === 'start') throw error;
      return {
        columns: [{ name: 'xm', type: 'string' }] as never,
        batches: (async function* () {
          yield [['visible']];
          throw error;
        })(),
      };
    },
    close: async () => undefined,
  };
}

describe('source failures', () => {
  const quoting = [
    new Error(`invalid input syntax for type integer: "${VALUE}"`),
    new BadRequestError('source_query_failed', `value ${VALUE}`, { sqlstate: '22P02', value: VALUE }),
    new BadRequestError('source_response_invalid', `bad ${VALUE}`, { reason: VALUE }),
    new AppError(502, 'source_unreachable', VALUE, { column: VALUE }),
  ];

  it('keeps the code and status, with our message and no detail that could be a value', () => {
    for (const error of quoting) {
      const mapped = sourceFailure(error);
      expect(JSON.stringify([mapped.message, mapped.details])).not.toContain('张三');
      expect(mapped.code).toBe(error instanceof AppError ? error.code : 'source_query_failed');
    }
    expect(sourceFailure(quoting[1]).details).toEqual({ sqlstate: '22P02' });
    expect(sourceFailure(quoting[3]).status).toBe(502);
  });

  it('keeps the messages of the plan checks, which name columns and the consumer’s own values', () => {
    const plan = new BadRequestError('invalid_read_plan', 'The value does not fit column nl (integer)');
    expect(sourceFailure(plan)).toBe(plan);
  });

  it('maps a read’s failure at its start and in the middle of its stream', async () => {
    for (const error of quoting) {
      await expect(guardReads(failing(error, 'start')).read({} as never)).rejects.not.toHaveProperty(
        'message',
        expect.stringContaining('张三'),
      );
      const result = await guardReads(failing(error, 'batch')).read({} as never);
      const seen: unknown[] = [];
      const done = (async () => {
        for await (const batch of result.batches) seen.push(...batch);
      })();
      const thrown = await done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(seen).toEqual([['visible']]);
      expect(thrown).toBeInstanceOf(AppError);
      expect(JSON.stringify([(thrown as AppError).message, (thrown as AppError).details])).not.toContain(
        '张三',
      );
    }
  });

  it('counts failed reads on /metrics by source kind and code, but not a plan the consumer got wrong', async () => {
    const count = async (code: string) =>
      parseScrape((await metricsText()).body).value('huitong_source_errors_total', {
        kind: 'postgres',
        code,
      });
    const before = [await count('source_unreachable'), await count('invalid_read_plan')];
    await guardReads(failing(new AppError(502, 'source_unreachable', 'x'), 'start'))
      .read({} as never)
      .catch(() => undefined);
    const midStream = await guardReads(failing(new AppError(502, 'source_unreachable', 'x'), 'batch')).read(
      {} as never,
    );
    await (async () => {
      for await (const _ of midStream.batches);
    })().catch(() => undefined);
    await guardReads(failing(new BadRequestError('invalid_read_plan', 'bad plan'), 'start'))
      .read({} as never)
      .catch(() => undefined);
    expect([await count('source_unreachable'), await count('invalid_read_plan')]).toEqual([
      before[0]! + 2,
      before[1]!,
    ]);
  });
});
