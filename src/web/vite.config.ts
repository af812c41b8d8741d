/**
 * Vite build of the web app: Preact via its preset, sources in src/web, output in dist/web
 * (never committed; the hub serves it at `/`). `npm run build` (scripts/build-web.ts) uses this file.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
export const WEB_OUT_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: './',
  plugins: [preact()],
  build: {
    outDir: WEB_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `vite dev` next to a hub on the default port: the page's own /ws is proxied to it.
    proxy: { '/ws': { target: 'ws://127.0.0.1:8765', ws: true } },
  },
});
