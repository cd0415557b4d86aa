import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusWorld, openCorpusWorld } from '../sql-corpus/world.js';
import { expectRefusal } from '../support/refusals.js';
import { serviceAvailable } from '../support/services.js';

// query_timeout through POST /api/v1/query: a server whose sandbox has much memory but one second,
// and a query that needs CPU, not memory (md5 over a cross product it never keeps), so the clock
// stops it, never the memory limit (a wide cross product raced the memory limit on a quiet machine).

const postgresUp = await serviceAvailable('postgres');

describe.skipIf(!postgresUp)('a query past the sandbox’s time, through the API', () => {
  let world: CorpusWorld;
  beforeAll(async () => {
    world = await openCorpusWorld({ HUITONG_QUERY_TIMEOUT_SECONDS: '1' });
  }, 120_000);
  afterAll(() => world?.close());

  it('answers query_timeout, and the next query runs', async () => {
    const tables = 'abcdefghij'.split('');
    const response = await world.query({
      sql: `SELECT count(*) FROM ${tables.map((t) => `people ${t}`).join(', ')} WHERE md5(${tables.map((t) => `${t}.xm`).join(' || ')}) = 'x'`,
      aliases: { people: world.codes.PEOPLE },
    });
    expectRefusal(response, 'query_timeout');
    const next = await world.query({ sql: 'SELECT qh FROM people', aliases: { people: world.codes.PEOPLE } });
    expect(next.statusCode, next.body).toBe(200);
  }, 120_000);
});
