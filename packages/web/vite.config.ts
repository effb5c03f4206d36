/**
 * Builds the dashboard into dist/app, which the Vigil server serves from the same port as the
 * API. `npm run dev -w @vigil/web` serves it with hot reload and proxies the API to a running
 * server (VIGIL_DEV_API, http://localhost:4000 by default).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.VIGIL_DEV_API ?? 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    // Charts are loaded by the pages that draw them, so the overview's first paint does not wait for them.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
    },
  },
});
