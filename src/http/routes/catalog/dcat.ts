import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catalogDcat, type RdfDocument, resourceDcat } from '../../../catalog/index.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { CodeParams, TAGS } from './params.js';

const tags = TAGS.views;
const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
const send = (reply: FastifyReply, document: RdfDocument) =>
  reply
    .type(document.contentType)
    .serializer((body: string) => body)
    .send(document.body);

/** DCAT-AP 3 views of the catalog and of each resource, as JSON-LD and Turtle; public, each caller seeing what it may. */
export async function dcatRoutes(app: App, { store }: AppContext): Promise<void> {
  for (const [suffix, format] of [
    ['jsonld', 'jsonld'],
    ['ttl', 'turtle'],
  ] as const) {
    app.get(
      `/api/v1/catalog.${suffix}`,
      {
        config: { public: true },
        schema: {
          tags,
          summary: `The catalog as DCAT-AP 3 (${format === 'jsonld' ? 'JSON-LD' : 'Turtle'})`,
          produces: [format === 'jsonld' ? 'application/ld+json' : 'text/turtle'],
          response: { 200: z.string(), ...refusals },
        },
      },
      async (request, reply) =>
        send(reply, await catalogDcat(store.db, request.actor, baseUrl(request), format)),
    );
    app.get(
      `/api/v1/resources/:code.${suffix}`,
      {
        config: { public: true },
        schema: {
          tags,
          summary: `One resource as a DCAT-AP 3 dcat:Dataset (${format === 'jsonld' ? 'JSON-LD' : 'Turtle'})`,
          params: CodeParams,
          produces: [format === 'jsonld' ? 'application/ld+json' : 'text/turtle'],
          response: { 200: z.string(), ...refusals },
        },
      },
      async (request, reply) =>
        send(
          reply,
          await resourceDcat(store.db, request.actor, request.params.code, baseUrl(request), format),
        ),
    );
  }
}
