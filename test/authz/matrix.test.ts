import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../support/http.js';
import { serviceAvailable } from '../support/services.js';
import { type MatrixRow, ROUTES } from './matrix.js';
import { buildMatrixWorld, type MatrixWorld, PERSONAS, type Persona } from './world.js';

// The authorisation matrix of every route: for each caller — nobody, the platform officers, each
// organisation role of the owning organisation A and of another organisation B, and A's analyst
// key — the class of answer its policy gives. The routes come from the route table, so a new
// route without an entry in matrix.ts fails the first test.
//   A: allowed (2xx, or a redirect)   V: authorisation passed, the body was refused (400, 409, 415, 422)
//   R: refused (401, 403 or 404)   P: passed either way (A or V)

const postgresUp = await serviceAvailable('postgres');
const RECORD = process.env.HUITONG_MATRIX_RECORD === '1';

/** The class of an answer. */
function classOf(status: number): 'A' | 'V' | 'R' | '5' | '?' {
  if (status >= 500) return '5';
  if (status >= 200 && status < 400) return 'A';
  if ([401, 403, 404].includes(status)) return 'R';
  if ([400, 409, 413, 415, 422, 429].includes(status)) return 'V';
  return '?';
}

const matches = (want: string, got: string) => want === got || (want === 'P' && (got === 'A' || got === 'V'));

describe.skipIf(!postgresUp)('the authorisation matrix of every route', () => {
  let server: TestServer;
  let world: MatrixWorld;
  beforeAll(async () => {
    server = await openTestServer('pglite');
    world = await buildMatrixWorld(server);
  });
  afterAll(async () => {
    await world?.close();
    await server?.close();
  });

  const routes = () =>
    server.app.routeTable.filter((r) => !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);

  it('has an entry for every route (add a new route to test/authz/matrix.ts)', () => {
    const missing = routes().filter((route) => !ROUTES[route]);
    expect(missing, 'add these routes to the matrix').toEqual([]);
    const stale = Object.keys(ROUTES).filter((route) => !routes().includes(route));
    expect(stale, 'these matrix entries name no route').toEqual([]);
    for (const [route, row] of Object.entries(ROUTES))
      expect(row.expect.replaceAll(' ', ''), route).toMatch(new RegExp(`^[AVRP]{${PERSONAS.length}}$`));
  });

  it('answers every caller of every route as the policy says, and never with a 5xx', async () => {
    const mismatches: string[] = [];
    const recorded: string[] = [];
    for (const route of routes()) {
      const row: MatrixRow | undefined = ROUTES[route];
      if (!row) continue;
      const [method] = route.split(' ') as ['GET'];
      const want = row.expect.replaceAll(' ', '');
      let got = '';
      for (const [i, persona] of PERSONAS.entries()) {
        const request = await row.request(world);
        const headers = {
          ...(row.freshLogin
            ? (await world.login(persona)).headers
            : world.credentials.get(persona)!.headers),
          ...request.headers,
        };
        const response = await server.app.inject({
          method,
          url: request.url,
          headers,
          ...(request.body === undefined ? {} : { payload: request.body as object }),
        });
        const cls = classOf(response.statusCode);
        got += cls;
        if (!matches(want[i]!, cls))
          mismatches.push(
            `${route} as ${persona as Persona}: ${response.statusCode} (wanted ${want[i]}) ${response.body.slice(0, 160)}`,
          );
      }
      recorded.push(`${route}: ${got}`);
    }
    if (RECORD) console.log(recorded.join('\n'));
    expect(mismatches).toEqual([]);
  }, 240_000);
});
