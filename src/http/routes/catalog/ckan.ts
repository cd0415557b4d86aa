import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CKAN_ACTIONS, runCkanAction } from '../../../catalog/index.js';
import { AppError } from '../../../errors/index.js';
import type { App, AppContext } from '../../types.js';
import { TAGS } from './params.js';

const Envelope = z.object({
  help: z.string(),
  success: z.boolean(),
  result: z.unknown().optional(),
  error: z.object({ __type: z.string(), message: z.string() }).catchall(z.unknown()).optional(),
});

const text = (description: string) => z.string().optional().describe(description);

// The parameters the actions read (CKAN clients send others too, which are ignored): an object
// schema, so that the OpenAPI document lists them as query parameters.
const ActionQuery = z.looseObject({
  id: text('package_show, organization_show: a dataset or organisation id or name'),
  q: text('package_search: the query (Solr syntax subset)'),
  fq: text('package_search: filter query, e.g. organization:name'),
  sort: text('package_search: e.g. "metadata_modified desc"'),
  rows: text('package_search: page size'),
  start: text('package_search: offset'),
  'facet.field': text('package_search: a JSON list of facet fields'),
  'facet.limit': text('package_search: values per facet'),
  query: text('tag_list, organization_list: a name prefix'),
  all_fields: text('organization_list: true for whole records'),
  include_datasets: text('organization_show: true to include its datasets'),
  limit: text('list actions: page size'),
  offset: text('list actions: offset'),
  name: text('help_show: the action name'),
});

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
const helpUrl = (request: FastifyRequest, action: string) =>
  `${baseUrl(request)}/api/3/action/help_show?name=${encodeURIComponent(action)}`;

// CKAN's error types and statuses: a client branches on `__type`, and validation is a 409 there.
function ckanError(error: unknown): [number, Record<string, unknown>] {
  if (error instanceof AppError) {
    if (error.code === 'search_query_error')
      return [409, { __type: 'Search Query Error', message: error.message }];
    if (error.code === 'unknown_action')
      return [400, { __type: 'Bad Request', message: `Bad request - ${error.message}` }];
    if (error.status === 404) return [404, { __type: 'Not Found Error', message: 'Not found' }];
    if (error.status === 401 || error.status === 403) {
      return [403, { __type: 'Authorization Error', message: `Access denied: ${error.message}` }];
    }
    if (error.status === 429) return [429, { __type: 'Rate Limit Error', message: error.message }];
    if (error.status < 500) {
      const field = (error.details as { field?: string } | undefined)?.field ?? 'input';
      return [409, { __type: 'Validation Error', message: error.message, [field]: [error.message] }];
    }
  }
  if (hasZodFastifySchemaValidationErrors(error as FastifyError)) {
    return [409, { __type: 'Validation Error', message: 'The parameters are not valid' }];
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500)
    return [400, { __type: 'Bad Request', message: 'Bad request' }];
  return [500, { __type: 'Internal Server Error', message: 'Internal error' }];
}

/**
 * The CKAN Action API (/api/3/action/{name}) over the catalog, so that CKAN harvesters and
 * clients read it as a CKAN site. An encapsulated plugin with its own error handler: even
 * refusals keep CKAN's `{help, success, error: {__type, message}}` envelope.
 */
export async function ckanRoutes(app: App, { store }: AppContext): Promise<void> {
  await app.register(async (ckan: App) => {
    ckan.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const [status, body] = ckanError(error);
      if (status >= 500) request.log.error({ err: error }, 'CKAN action failed');
      const action = (request.params as { name?: string } | undefined)?.name ?? 'help_show';
      return reply.code(status).send({ help: helpUrl(request, action), success: false, error: body });
    });

    const handler = async (request: FastifyRequest<{ Params: { name: string } }>) => {
      const params = { ...(request.query as object), ...((request.body as object | undefined) ?? {}) };
      const result = await runCkanAction(request.params.name, {
        db: store.db,
        actor: request.actor,
        params,
        base: baseUrl(request),
      });
      return { help: helpUrl(request, request.params.name), success: true, result };
    };
    const schema = {
      tags: TAGS.ckan,
      summary: `CKAN action: ${Object.keys(CKAN_ACTIONS).join(', ')}`,
      params: z.strictObject({ name: z.string().max(100) }),
      response: { 200: Envelope, 400: Envelope, 403: Envelope, 404: Envelope, 409: Envelope },
    };
    ckan.get(
      '/api/3/action/:name',
      { config: { public: true }, schema: { ...schema, querystring: ActionQuery } },
      handler,
    );
    ckan.post(
      '/api/3/action/:name',
      { config: { public: true }, schema: { ...schema, body: z.record(z.string(), z.unknown()).optional() } },
      handler,
    );
  });
}
