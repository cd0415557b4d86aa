import type { Kysely } from 'kysely';
import type { Quad } from 'n3';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { catalogGraph, datasetGraph } from './dcat/graph.js';
import { toJsonLd, toTurtle } from './dcat/serialize.js';
import { presentResource } from './presenters.js';
import { selectResources, visibleResourceRow } from './resource-rows.js';
import { visibleResourceFilter } from './visibility.js';

type Db = Kysely<Database>;

/** The two serialisations of the DCAT-AP view. */
export type RdfFormat = 'jsonld' | 'turtle';

/** A DCAT-AP document: its media type and body. */
export interface RdfDocument {
  contentType: string;
  body: string;
}

async function serialize(quads: Quad[], format: RdfFormat): Promise<RdfDocument> {
  return format === 'turtle'
    ? { contentType: 'text/turtle; charset=utf-8', body: await toTurtle(quads) }
    : { contentType: 'application/ld+json; charset=utf-8', body: JSON.stringify(await toJsonLd(quads)) };
}

/** The whole catalog the actor may see (published resources) as DCAT-AP 3 (dcat:Catalog). */
export async function catalogDcat(
  db: Db,
  actor: Actor,
  base: string,
  format: RdfFormat,
): Promise<RdfDocument> {
  const rows = await selectResources(db)
    .where(visibleResourceFilter(actor))
    .where('resources.status', '=', 'published')
    .orderBy('resources.code')
    .execute();
  return serialize(catalogGraph(rows.map(presentResource), base), format);
}

/** One resource the actor may see as a DCAT-AP 3 dcat:Dataset. */
export async function resourceDcat(
  db: Db,
  actor: Actor,
  code: string,
  base: string,
  format: RdfFormat,
): Promise<RdfDocument> {
  const view = presentResource(await visibleResourceRow(db, actor, code));
  return serialize(datasetGraph(view, base), format);
}
