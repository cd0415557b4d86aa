import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

type Transform = typeof jsonSchemaTransform;
type Responses = Record<string, unknown>;
type RouteSchema = FastifySchema & { operationId?: string; produces?: string[]; response?: Responses };

const word = (part: string) => part.charAt(0).toUpperCase() + part.slice(1);

/**
 * The operationId of a route, derived from its method and path so that it is stable across runs
 * and unique while paths are: `GET /api/v1/resources/:code/rows` → `getResourcesByCodeRows`,
 * `GET /api/v1/catalog.jsonld` → `getCatalogJsonld`, `GET /api/3/action/:name` → `get3ActionByName`.
 */
export function operationIdOf(method: string, url: string): string {
  const path = url.replace(/^\/api\//, '').replace(/^v1\//, '');
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      if (segment.startsWith(':')) {
        const [param = '', ...suffix] = segment.slice(1).split('.');
        return [`By${word(param)}`, ...suffix.map(word)];
      }
      return segment
        .split(/[.\-_]/)
        .filter(Boolean)
        .map(word);
    });
  return method.toLowerCase() + words.join('');
}

// The error shape (routes/schemas.ts ErrorSchema) as JSON, with its media type spelled out: a
// route that produces CSV or text still refuses in JSON.
const errorResponse = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
          },
        },
      },
    },
  },
});

// Every /api route is rate-limited (429) and fails closed while the store is away (503): said
// once here rather than on each route. The CKAN routes answer in CKAN's own envelope instead.
// A route without response schemas (a text or file body) gets its 200 described by its media type.
function withCommonResponses(url: string, schema: RouteSchema): RouteSchema {
  if (!url.startsWith('/api/') || url.startsWith('/api/3/')) return schema;
  const response: Responses = { ...schema.response };
  if (!Object.keys(response).some((code) => /^[23]/.test(code))) {
    const media = schema.produces?.[0] ?? 'application/json';
    response[200] = {
      description: `The ${media} body`,
      content: { [media]: { schema: media.includes('json') ? {} : { type: 'string' } } },
    };
  }
  response[429] ??= errorResponse('Too many requests (rate limit); Retry-After says when to retry');
  response[503] ??= errorResponse('The metadata store is unavailable; Retry-After says when to retry');
  return { ...schema, response };
}

/**
 * The zod → JSON Schema transform of the OpenAPI document, plus what client generators and
 * linters need of every operation: an operationId (explicit on the route, else derived) and the
 * platform-wide responses. Documentation only: the routes' runtime schemas are untouched.
 */
export const openApiTransform: Transform = (input) => {
  const result = jsonSchemaTransform(input);
  const schema = result.schema as RouteSchema | undefined;
  if (!schema || (schema as { hide?: boolean }).hide) return result;
  const method = [input.route.method].flat().find((m) => m !== 'HEAD') ?? 'GET';
  const operationId =
    (input.schema as RouteSchema | undefined)?.operationId ?? operationIdOf(method, input.url);
  return { ...result, schema: { ...withCommonResponses(input.url, schema), operationId } };
};
