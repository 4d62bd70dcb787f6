// Builds the web app into web/dist, which the API server serves; `vite --config web/vite.config.ts` proxies /api in development.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': { target: process.env.FLOORBOARD_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
