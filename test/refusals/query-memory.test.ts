import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusWorld, openCorpusWorld } from '../sql-corpus/world.js';
import { expectRefusal } from '../support/refusals.js';
import { serviceAvailable } from '../support/services.js';

// query_memory_exceeded through POST /api/v1/query: a server whose sandbox may use little memory
// but much time, so the doubling query is stopped by its memory, never by the clock.

const postgresUp = await serviceAvailable('postgres');

describe.skipIf(!postgresUp)('a query past the sandbox’s memory, through the API', () => {
  let world: CorpusWorld;
  beforeAll(async () => {
    world = await openCorpusWorld({ HUITONG_QUERY_MEMORY: '64MB', HUITONG_QUERY_TIMEOUT_SECONDS: '120' });
  }, 120_000);
  afterAll(() => world?.close());

  it('answers query_memory_exceeded, and the next query runs', async () => {
    // Each level doubles every value: 2^30 times a region code is far past 64 MB.
    const doubling = Array.from({ length: 30 }).reduce<string>(
      (inner) => `(SELECT x || x AS x FROM ${inner})`,
      '(SELECT qh AS x FROM people)',
    );
    const started = Date.now();
    const response = await world.query({
      sql: `SELECT length(x) AS n FROM ${doubling}`,
      aliases: { people: world.codes.PEOPLE },
    });
    expectRefusal(response, 'query_memory_exceeded');
    expect(Date.now() - started).toBeLessThan(60_000);
    const next = await world.query({ sql: 'SELECT qh FROM people', aliases: { people: world.codes.PEOPLE } });
    expect(next.statusCode, next.body).toBe(200);
  }, 120_000);
});
