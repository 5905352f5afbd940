// The console's build: Vite with Preact's JSX runtime (no plugin needed), into dist/console, which
// the API serves at /console. `npm run console:dev` serves it with hot reload against the API on :3000.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    // One small module graph; no inline scripts or styles, so the CSP needs no 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: { '/v1': 'http://localhost:3000', '/.well-known': 'http://localhost:3000' },
  },
});
