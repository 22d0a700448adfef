/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves dist/ on the same origin as /api/v1. During `npm run dev`
// the API is proxied to RECTIFY_API (default: the gateway on :8000).
const apiTarget = process.env.RECTIFY_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
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
  },
});
