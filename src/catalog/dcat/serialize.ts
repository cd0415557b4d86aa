import jsonld from 'jsonld';
import { type Quad, Writer } from 'n3';
import { NS } from './vocabulary.js';

function write(quads: Quad[], format: 'Turtle' | 'N-Quads'): Promise<string> {
  const writer = new Writer({ format, ...(format === 'Turtle' ? { prefixes: NS } : {}) });
  writer.addQuads(quads);
  return new Promise((resolve, reject) =>
    writer.end((error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** Turtle, with the usual prefixes. */
export function toTurtle(quads: Quad[]): Promise<string> {
  return write(quads, 'Turtle');
}

/** The JSON-LD context of the output: an inline one, so that no reader has to fetch anything. */
export const JSONLD_CONTEXT = { ...NS };

/** JSON-LD, compacted against the prefixes (one `@graph`). */
export async function toJsonLd(quads: Quad[]): Promise<Record<string, unknown>> {
  const nquads = await write(quads, 'N-Quads');
  const expanded = await jsonld.fromRDF(nquads, { format: 'application/n-quads' });
  const compacted = await jsonld.compact(expanded, JSONLD_CONTEXT, { graph: true });
  return compacted as Record<string, unknown>;
}
