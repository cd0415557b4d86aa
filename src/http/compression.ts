import compress from '@fastify/compress';
import type { App } from './types.js';

// Compressed: the console's files and every JSON or HTML answer (strings, compressed in one go).
// Not compressed: data exports (CSV, NDJSON, XLSX, Parquet, Arrow) and other streams, which leave
// as they are produced, with back-pressure, and whose release entry is written when the stream
// ends; a compressor in between would buffer them and hide the client's pace from the generator.
const COMPRESSIBLE =
  /^(?:application\/(?:[\w.-]+\+)?json|application\/javascript|text\/(?:html|css|javascript|plain)|image\/svg\+xml)\s*(?:;|$)/i;

/** Whether a response of this content type is compressed (exports are not). */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

/**
 * Registers response compression (Brotli, gzip) for the types above. Must come before the routes:
 * the plugin hooks each route as it is declared. The built assets usually come precompressed
 * (`.br`/`.gz` written by the build, sent as they are by @fastify/static); this covers the rest.
 */
export async function registerCompression(app: App): Promise<void> {
  // The plugin's own type test falls back to the MIME database, which calls CSV compressible; so
  // before its hook runs (route hooks come after the app's), anything else is marked for it to skip.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && !isCompressible(type)) request.headers['x-no-compression'] = '1';
    return payload;
  });
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: isCompressible,
  });
}
