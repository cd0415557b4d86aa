import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { handleNotFound } from './error-handler.js';
import type { App } from './types.js';

// src/http and dist/http sit at the same depth below the package root.
const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

// The page is a module bundle: no inline scripts; Ant Design injects <style> elements (CSS-in-JS).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>汇通 Huitong</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;line-height:1.6">
<h1>汇通 Huitong</h1>
<p>网页界面尚未构建。请运行 <code>npm run build</code> 后重启服务。</p>
<p>The web UI has not been built. Run <code>npm run build</code> and restart the server.</p>
<p>API: <a href="/api/docs">/api/docs</a></p>
</body></html>`;

/** Every file of the build, as URL paths ("/assets/index-abc.js"): only these are ever served. */
function listFiles(root: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.add(`/${relative(root, path).split(sep).join('/')}`);
    }
  };
  walk(root);
  return files;
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Serves the web UI built into web/dist at `/`: known files as they are (hashed assets cached for
 * a year), every other non-API path as index.html so that the client-side router can take it.
 * Unknown /api paths still get the JSON 404. Without a build, a page says how to make one.
 */
export async function registerWeb(app: App, root: string = WEB_DIST): Promise<void> {
  const built = existsSync(join(root, 'index.html'));
  const files = built ? listFiles(root) : new Set<string>();
  // preCompressed: the build writes `.br` and `.gz` beside each asset (web/vite.config.ts), sent
  // as they are when the browser accepts them; cacheControl off: the handler sets it per file.
  if (built)
    await app.register(fastifyStatic, { root, serve: false, preCompressed: true, cacheControl: false });

  const sendIndex = (reply: FastifyReply) => {
    reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin').header('cache-control', 'no-cache');
    if (!built) return reply.code(200).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.sendFile('index.html');
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // Not decoded: built file names are plain ASCII, and anything else falls back to the page.
    const path = request.url.split('?')[0]!;
    if (isApiPath(path)) return handleNotFound(request, reply);
    if (path !== '/' && path !== '/index.html' && files.has(path)) {
      // Vite names assets by content hash, so they never change under the same name.
      const immutable = path.startsWith('/assets/');
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(path.slice(1));
    }
    return sendIndex(reply);
  };

  // Public: the page and its assets are what an anonymous visitor loads to log in. Not rate
  // limited: one page load fetches dozens of code-split chunks, which must not eat the API budget.
  const config = { public: true, rateLimit: false } as const;
  app.get('/', { config, schema: { hide: true } }, handler);
  app.get('/*', { config, schema: { hide: true } }, handler);
}
