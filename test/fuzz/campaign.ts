// The fuzzing campaign shared by the quick run in `npm test` (fuzz.test.ts) and the long one
// (`npm run fuzz -- --minutes N`, run.ts): properties over every route of the route table, each
// request checked against the invariants of design.md — never a 5xx, errors in the one JSON shape
// without internals, and no data for a caller without access.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { ROUTES } from '../authz/matrix.js';
import type { MatrixWorld, Persona } from '../authz/world.js';
import { PERSONAS } from '../authz/world.js';
import type { TestServer } from '../support/http.js';
import {
  badAuthorization,
  body,
  EXTREME_BODIES,
  type FuzzBody,
  headers,
  pathValue,
  queryString,
} from './arbitraries.js';

/** One request that broke an invariant. */
export interface FuzzFailure {
  route: string;
  problem: string;
  request: { method: string; url: string; persona: Persona; contentType?: string; body?: string };
  status: number;
  response: string;
}

/** Counts of a campaign. */
export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  failures: FuzzFailure[];
}

const INTERNALS = [
  /\n\s+at /,
  /node_modules/,
  /\/work\//,
  /huitong-test-/,
  /violates .* constraint/,
  /invalid input syntax for/,
  /relation "[^"]+" does not exist/,
  /duplicate key value/,
  /ZodError/,
  /TypeError|ReferenceError|RangeError/,
];
const SQL_TEXT = /\b(select|insert|update|delete)\b[\s\S]{1,200}\b(from|into|set|where)\b/i;
const DATA_ROUTES = new Set([
  'GET /api/v1/resources/:code/rows',
  'POST /api/v1/query',
  'POST /api/v1/resources/:code/verify',
]);
/** Callers without access to the data resource: they must never get a 2xx from a data route. */
export const OUTSIDERS: Persona[] = [
  'anonymous',
  'platform_admin',
  'auditor',
  'security_officer',
  'analyst~',
  'org_admin',
];

/** The problem with a response, if any. */
export function problemWith(route: string, response: LightMyRequestResponse): string | undefined {
  const status = response.statusCode;
  if (status >= 500) return `status ${status}`;
  if (status < 400) return undefined;
  let parsed: { success?: unknown; error?: { code?: unknown; message?: unknown; __type?: unknown } };
  try {
    parsed = response.json();
  } catch {
    return 'a 4xx whose body is not JSON';
  }
  for (const pattern of INTERNALS)
    if (pattern.test(response.body)) return `internals in an error: ${pattern}`;
  // The CKAN Action API answers in CKAN's own error shape, for CKAN clients.
  // (A CKAN route that does not match at all answers as any unknown route.)
  if (route.includes(' /api/3/') && parsed?.error?.code !== 'route_not_found')
    return parsed?.success === false && typeof parsed.error?.__type === 'string'
      ? undefined
      : 'a CKAN 4xx without success:false and error.__type';
  if (typeof parsed?.error?.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(parsed.error.code))
    return 'a 4xx without a snake_case error.code';
  if (typeof parsed.error.message !== 'string') return 'a 4xx without an error.message';
  if (route !== 'POST /api/v1/query' && SQL_TEXT.test(parsed.error.message)) return 'SQL text in an error';
  return undefined;
}

/** Heap in use after a full collection (gc is exposed on demand). */
export function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Target {
  route: string;
  method: string;
  template: string;
  /** A value that exists for each path parameter, taken from the matrix's own call. */
  valid: string[];
  persona: Persona;
}

/** The routes to fuzz, each with a caller the policy lets through (so that the handlers run). */
export async function fuzzTargets(server: TestServer, world: MatrixWorld): Promise<Target[]> {
  const targets: Target[] = [];
  for (const { method, url } of server.app.routeTable) {
    if (url.startsWith('/api/docs')) continue;
    const route = `${method} ${url}`;
    const row = ROUTES[route];
    const expect = row?.expect.replaceAll(' ', '') ?? '';
    const allowed = PERSONAS.filter((_, i) => 'AVP'.includes(expect[i] ?? 'R'));
    // Logging out would end the session that the other routes use.
    const persona: Persona = row?.freshLogin ? 'anonymous' : (allowed[0] ?? 'data_steward');
    const valid: string[] = [];
    if (row) {
      const sample = new URL((await row.request(world)).url, 'http://x').pathname.split('/');
      url.split('/').forEach((segment, i) => {
        if (segment.includes(':')) {
          const literal = segment.slice(segment.indexOf(':')).replace(/^:[A-Za-z]+/, '');
          const value = decodeURIComponent(sample[i] ?? '');
          valid.push(literal ? value.slice(0, -literal.length) : value);
        }
      });
    }
    targets.push({ route, method, template: url, valid, persona });
  }
  return targets;
}

/** Fills a route's path parameters. */
function fillPath(template: string, values: string[]): string {
  let i = 0;
  return template
    .split('/')
    .map((segment) => {
      if (segment === '*') return encodeURIComponent(values[i++] ?? 'x');
      if (!segment.includes(':')) return segment;
      const literal = segment.slice(segment.indexOf(':')).replace(/^:[A-Za-z]+/, '');
      return `${segment.slice(0, segment.indexOf(':'))}${encodeURIComponent(values[i++] ?? '')}${literal}`;
    })
    .join('/');
}

const paramCount = (template: string) =>
  template.split('/').filter((s) => s.includes(':') || s === '*').length;

/** Sends one request and records it; returns the failure, if any. */
async function send(
  server: TestServer,
  world: MatrixWorld,
  stats: FuzzStats,
  target: Target,
  persona: Persona,
  url: string,
  payload: FuzzBody,
  extraHeaders: Record<string, string>,
  check: (response: LightMyRequestResponse) => string | undefined = (r) => problemWith(target.route, r),
): Promise<FuzzFailure | undefined> {
  const hasBody = target.method !== 'GET' && target.method !== 'DELETE';
  const requestHeaders: Record<string, string> = {
    ...world.credentials.get(persona)!.headers,
    ...extraHeaders,
    ...(hasBody && payload.contentType !== undefined ? { 'content-type': payload.contentType } : {}),
  };
  let response: LightMyRequestResponse;
  try {
    response = await server.app.inject({
      method: target.method as 'GET',
      url,
      headers: requestHeaders,
      ...(hasBody && payload.payload !== undefined ? { payload: payload.payload } : {}),
    });
  } catch (error) {
    // light-my-request refuses some requests before they reach the server (e.g. invalid header
    // characters): no server code ran, so nothing to judge.
    if (error instanceof TypeError || (error as { code?: string }).code === 'ERR_INVALID_CHAR')
      return undefined;
    throw error;
  }
  stats.requests++;
  const bucket = `${Math.floor(response.statusCode / 100)}xx`;
  stats.byStatus[bucket] = (stats.byStatus[bucket] ?? 0) + 1;
  const problem = check(response);
  if (!problem) return undefined;
  const failure: FuzzFailure = {
    route: target.route,
    problem,
    request: {
      method: target.method,
      url: url.slice(0, 300),
      persona,
      contentType: payload.contentType,
      body: payload.payload === undefined ? undefined : String(payload.payload).slice(0, 300),
    },
    status: response.statusCode,
    response: response.body.slice(0, 300),
  };
  stats.failures.push(failure);
  return failure;
}

/** Options of a campaign over one route. */
export interface RouteOptions {
  numRuns: number;
  seed: number;
  /** Also send the extreme bodies and bad credentials (once per route). */
  extremes: boolean;
}

/** Fuzzes one route: random path ids, query strings, bodies and headers, plus the extremes. */
export async function fuzzRoute(
  server: TestServer,
  world: MatrixWorld,
  target: Target,
  stats: FuzzStats,
  options: RouteOptions,
): Promise<void> {
  const params = paramCount(target.template);
  const path = fc.array(fc.oneof(pathValue, fc.constant<string | null>(null)), {
    minLength: params,
    maxLength: params,
  });
  await fc.check(
    fc.asyncProperty(path, queryString, body, headers, async (values, query, payload, extra) => {
      const filled = values.map((v, i) => v ?? target.valid[i] ?? 'x');
      const url = `${fillPath(target.template, filled)}${query ? `?${query}` : ''}`;
      const failure = await send(server, world, stats, target, target.persona, url, payload, extra);
      return failure === undefined;
    }),
    { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
  );
  if (!options.extremes) return;
  const url = fillPath(target.template, target.valid);
  for (const [, payload] of EXTREME_BODIES)
    await send(server, world, stats, target, target.persona, url, payload, {});
  for (const authorization of fc.sample(badAuthorization, { numRuns: 8, seed: options.seed }))
    await send(server, world, stats, target, 'anonymous', url, {}, { authorization });
}

/**
 * The data-path property: callers without access send random reads, SQL and claims about A's
 * data resource; none may get a 2xx (or a redirect) from a data route.
 */
export async function fuzzDataPath(
  server: TestServer,
  world: MatrixWorld,
  stats: FuzzStats,
  options: RouteOptions,
) {
  const targets = (await fuzzTargets(server, world)).filter((t) => DATA_ROUTES.has(t.route));
  const column = fc.constantFrom('xm', 'sfzh', 'sjhm', 'yhkh', 'jkzk', 'qh', '*', 'count(*)');
  const sql = fc
    .tuple(column, fc.constantFrom('', ' WHERE true', " WHERE qh = '350102'", ' LIMIT 1', ' ORDER BY 1'))
    .map(([c, tail]) => `SELECT ${c} FROM "${world.dataResource}"${tail}`);
  const claim = fc.dictionary(
    fc.constantFrom('姓名', '身份证号', '区划', '手机号码'),
    fc.string({ maxLength: 18 }),
    {
      minKeys: 1,
      maxKeys: 3,
    },
  );
  const persona = fc.constantFrom(...OUTSIDERS);
  const noData = (route: string) => (response: LightMyRequestResponse) =>
    problemWith(route, response) ??
    (response.statusCode < 400 ? `a caller without access got ${response.statusCode}` : undefined);
  for (const target of targets) {
    await fc.check(
      fc.asyncProperty(persona, queryString, sql, claim, async (who, query, text, values) => {
        const code = world.dataResource;
        const url =
          target.route === 'POST /api/v1/query'
            ? '/api/v1/query'
            : `${fillPath(target.template, [code])}${target.method === 'GET' && query ? `?${query}` : ''}`;
        const payload: FuzzBody =
          target.route === 'POST /api/v1/query'
            ? { payload: JSON.stringify({ sql: text }), contentType: 'application/json' }
            : { payload: JSON.stringify({ values }), contentType: 'application/json' };
        const failure = await send(server, world, stats, target, who, url, payload, {}, noData(target.route));
        return failure === undefined;
      }),
      { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
    );
  }
}

/** A new, empty tally. */
export const newStats = (): FuzzStats => ({ requests: 0, byStatus: {}, failures: [] });

/** A finding of the fuzzer (docs/robustness.md), fixed since and kept as a regression case. */
export interface FormerFinding {
  id: string;
  description: string;
  /** A request that reproduces it, and what a fixed route answers. */
  reproduce: (w: MatrixWorld) => { method: 'GET' | 'PATCH'; url: string; persona: Persona; body?: object };
  /** Whether a fuzz failure is this finding. */
  matches: (f: FuzzFailure) => boolean;
}

/** The fixed findings; fuzz.test.ts replays each on its own, so a regression names its finding. */
export const FORMER_FINDINGS: FormerFinding[] = [
  {
    id: 'F4a',
    description:
      'PATCH /api/v1/users/{id} with {} answers 500: updateUser (src/identity/users.ts) issues UPDATE … SET with no column',
    reproduce: (w) => ({
      method: 'PATCH',
      url: `/api/v1/users/${w.users.get('data_steward')!.id}`,
      persona: 'platform_admin',
      body: {},
    }),
    matches: (f) => f.route === 'PATCH /api/v1/users/:id' && f.status === 500 && f.request.body === '{}',
  },
  {
    id: 'F4b',
    description:
      'PATCH /api/v1/applications/{id} with {} answers 500: updateApplication (src/identity/applications.ts) issues UPDATE … SET with no column',
    reproduce: (w) => ({
      method: 'PATCH',
      url: `/api/v1/applications/${w.application}`,
      persona: 'org_admin',
      body: {},
    }),
    matches: (f) =>
      f.route === 'PATCH /api/v1/applications/:id' && f.status === 500 && f.request.body === '{}',
  },
  {
    id: 'F5',
    description:
      'CKAN package_list with a negative limit or offset answers 500 (GET /api/3/action/package_list?limit=-1)',
    reproduce: () => ({ method: 'GET', url: '/api/3/action/package_list?limit=-1', persona: 'anonymous' }),
    matches: (f) =>
      f.route.endsWith(' /api/3/action/:name') && f.status === 500 && /(limit|offset)=-/.test(f.request.url),
  },
  {
    id: 'F7',
    description:
      "a path parameter over Fastify's maxParamLength (100) answers 414 in Fastify's own error shape ({error: 'Bad Request', code: 'FST_ERR_MAX_PARAM_LENGTH'}), echoing the URL, instead of {error: {code, message}}",
    reproduce: () => ({
      method: 'PATCH',
      url: `/api/v1/users/${'x'.repeat(200)}`,
      persona: 'platform_admin',
      body: {},
    }),
    matches: (f) => f.status === 414 && f.response.includes('FST_ERR_MAX_PARAM_LENGTH'),
  },
];

/** The former finding a failure repeats, if any, for the report. */
export const formerFinding = (f: FuzzFailure) => FORMER_FINDINGS.find((k) => k.matches(f))?.id;
