import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { isCompressible, registerCompression } from './compression.js';
import type { App } from './types.js';
import { registerWeb } from './web.js';

// The console's files over HTTP: compressed, hashed assets cached for good, the page never cached;
// data exports left uncompressed (they stream with back-pressure).

const SCRIPT = `export const words = ${JSON.stringify('汇通数据共享 '.repeat(400))};\n`;

describe('static files: compression and caching', () => {
  let root: string;
  let app: App;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'huitong-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      `<!doctype html><title>汇通</title>${'<!-- page -->'.repeat(200)}`,
    );
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
    // Precompressed by the build for this asset only; the other is compressed on the fly.
    writeFileSync(join(root, 'assets', 'index-Ab12Cd34.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(root, 'assets', 'plain-Ef56Gh78.js'), SCRIPT);
    app = Fastify() as unknown as App;
    await registerCompression(app);
    app.get('/export.csv', (_request, reply) =>
      reply.type('text/csv; charset=utf-8').send(Readable.from(['a,b\n', '1,2\n'.repeat(2000)])),
    );
    await registerWeb(app, root);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('caches hashed assets for good and sends their precompressed Brotli file', async () => {
    const response = await app.inject({
      url: '/assets/index-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(SCRIPT);
  });

  it('compresses an asset the build did not precompress, for a browser that takes only gzip', async () => {
    const response = await app.inject({
      url: '/assets/plain-Ef56Gh78.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.rawPayload).toString()).toBe(SCRIPT);
  });

  it('sends the asset as it is to a client that accepts no encoding', async () => {
    const response = await app.inject({ url: '/assets/index-Ab12Cd34.js' });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(SCRIPT);
  });

  it('never lets a cache keep the page (index.html), by any of its addresses', async () => {
    for (const url of ['/', '/index.html', '/portal/resources/X', '/favicon.svg']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
    }
    const page = await app.inject({ url: '/workbench/sql', headers: { 'accept-encoding': 'gzip' } });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.rawPayload).toString()).toContain('<title>汇通</title>');
  });

  it('leaves a streamed CSV export uncompressed even when the client accepts gzip', async () => {
    const response = await app.inject({ url: '/export.csv', headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.startsWith('a,b\n1,2\n')).toBe(true);
  });

  it('compresses JSON, HTML, scripts and styles, never the export formats', () => {
    for (const type of [
      'application/json; charset=utf-8',
      'application/ld+json; charset=utf-8',
      'application/problem+json',
      'text/html; charset=utf-8',
      'text/css',
      'application/javascript; charset=utf-8',
      'text/javascript',
      'image/svg+xml',
    ])
      expect(isCompressible(type), type).toBe(true);
    for (const type of [
      'text/csv; charset=utf-8',
      'application/x-ndjson; charset=utf-8',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.apache.parquet',
      'application/vnd.apache.arrow.stream',
      'application/octet-stream',
      'text/event-stream',
    ])
      expect(isCompressible(type), type).toBe(false);
  });
});

describe('API answers: compression', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer('pglite');
  });
  afterAll(async () => server?.close());

  it('compresses a JSON answer for a client that accepts Brotli, and leaves small ones alone', async () => {
    const big = await server.app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'br' } });
    expect(big.statusCode).toBe(200);
    expect(big.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(big.rawPayload).toString())).toHaveProperty('openapi');
    const small = await server.app.inject({ url: '/api/health', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toBeTypeOf('object');
  });
});
