import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `npm run build` (and so by `npm install`'s prepare and `npm start`) into web/dist,
// which the server serves at `/` (src/http/web.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
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
