import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMatrixWorld, type MatrixWorld } from '../authz/world.js';
import { openTestServer, type TestServer } from '../support/http.js';
import { serviceAvailable } from '../support/services.js';
import {
  FORMER_FINDINGS,
  type FuzzStats,
  fuzzDataPath,
  fuzzRoute,
  fuzzTargets,
  heapAfterGc,
  newStats,
  problemWith,
} from './campaign.js';

// The quick, seed-fixed fuzzing run of `npm test`: every route of the route table with random and
// hostile path ids, query strings, bodies, content types and headers, as a caller its policy lets
// through; the data routes as callers without access. `npm run fuzz -- --minutes N` is the long run.

const postgresUp = await serviceAvailable('postgres');
const SEED = 20_260_101;
const RUNS = Number(process.env.HUITONG_FUZZ_RUNS ?? 20);

describe.skipIf(!postgresUp)('fuzzing every route', () => {
  let server: TestServer;
  let world: MatrixWorld;
  let baseline: number;
  const stats: FuzzStats = newStats();

  beforeAll(async () => {
    server = await openTestServer('pglite');
    world = await buildMatrixWorld(server);
    baseline = heapAfterGc();
  });
  afterAll(async () => {
    // The world drops what a subscription prepared at the source, through the open server.
    await world?.close();
    await server?.close();
  });

  it('never answers 5xx, always in the error shape, without internals', async () => {
    for (const target of await fuzzTargets(server, world))
      await fuzzRoute(server, world, target, stats, { numRuns: RUNS, seed: SEED, extremes: true });
    expect(stats.failures.map((f) => JSON.stringify(f))).toEqual([]);
    expect(stats.requests).toBeGreaterThan(1000);
  }, 300_000);

  it('gives callers without access no data, whatever they send', async () => {
    const data = newStats();
    await fuzzDataPath(server, world, data, { numRuns: RUNS * 2, seed: SEED, extremes: false });
    expect(data.failures.map((f) => JSON.stringify(f))).toEqual([]);
  }, 120_000);

  // Each former finding, replayed on its own so that a regression names it.
  for (const finding of FORMER_FINDINGS) {
    it(`answers in shape where it once did not (${finding.id}: ${finding.description})`, async () => {
      const { method, url, persona, body } = finding.reproduce(world);
      const response = await server.app.inject({
        method,
        url,
        headers: world.credentials.get(persona)!.headers,
        ...(body ? { payload: body } : {}),
      });
      expect(response.statusCode).toBeLessThan(500);
      expect(problemWith(`${method} ${url}`, response)).toBeUndefined();
    });
  }

  it('returns to its baseline heap afterwards', () => {
    const grown = (heapAfterGc() - baseline) / 2 ** 20;
    expect(grown, `heap grew by ${grown.toFixed(1)} MiB`).toBeLessThan(64);
  });
});
