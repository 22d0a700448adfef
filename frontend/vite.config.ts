/// <reference types="vitest/config" />
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The gateway's API page (/docs) runs Swagger UI from these files, never from a CDN: npm's swagger-ui-dist,
 * copied into dist/swagger-ui/ at build.
 */
function swaggerUi(): Plugin {
  const source = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return {
    name: 'rectify-swagger-ui',
    apply: 'build',
    writeBundle(options) {
      const target = join(options.dir ?? 'dist', 'swagger-ui');
      mkdirSync(target, { recursive: true });
      for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'LICENSE']) {
        cpSync(join(source, file), join(target, file));
      }
    },
  };
}

// The gateway serves dist/ on the same origin as /api/v1. During `npm run dev`
// the API is proxied to RECTIFY_API (default: the gateway on :8000).
const apiTarget = process.env.RECTIFY_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react(), swaggerUi()],
  // The gateway answers each HTML page with a fresh nonce in place of this placeholder, named in its
  // Content-Security-Policy (services/gateway/src/gateway/csp.py); antd's CSS-in-JS reads it from the meta tag.
  html: { cspNonce: '__CSP_NONCE__' },
  resolve: {
    alias: {
      '@citizen': fileURLToPath(new URL('./citizen/src', import.meta.url)),
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/.well-known': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 60000,
    // Importing antd per test file was most of the suite's CPU: test files share one module cache.
    // Safe because every render builds its own i18n and QueryClient (test/render.tsx) and
    // test/setup.ts clears the DOM, localStorage, stubbed globals and mocks after each test.
    pool: 'threads',
    isolate: false,
    // Then half of the rest was jsdom's getComputedStyle (each role query, on each ancestor, and each user-event
    // pointer action) matching elements against antd's ~2,800 CSS-in-JS rules: test/render.tsx renders under
    // test/antd-styles.tsx, which keeps only the declarations that hide, disable or fade (~460 rules).
    // Suite 217–224 → 82–98 CPU-s (user + sys, two runs each on the shared 2-core machine); 70–80 since its style
    // cache keeps what it generated across tests instead of generating and inserting it again for each.
    // Node 25+ has a global localStorage of its own that hides jsdom's (undefined without a storage file).
    execArgv: Number(process.versions.node.split('.')[0]) >= 25 ? ['--no-experimental-webstorage'] : [],
  },
});
