/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The light public pages (/submit, /track): a second build into the same dist/ (public.html and
// assets/public-*.js), sharing nothing with the staff app. Their CSS is inlined into the HTML so the first
// paint needs no second request; `__CSP_NONCE__` is the gateway's placeholder for the page's CSP nonce.
const css = fileURLToPath(new URL('./citizen/src/citizen.css', import.meta.url));

function inlineCss(): Plugin {
  return {
    name: 'rectify-inline-css',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace('</head>', `<style nonce="__CSP_NONCE__">${readFileSync(css, 'utf8').replace(/\s*\n\s*/g, '')}</style></head>`),
    },
  };
}

const apiTarget = process.env.RECTIFY_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root: fileURLToPath(new URL('./citizen', import.meta.url)),
  publicDir: false,
  plugins: [inlineCss()],
  html: { cspNonce: '__CSP_NONCE__' },
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: false,
    sourcemap: false,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { public: fileURLToPath(new URL('./citizen/public.html', import.meta.url)) } },
  },
});
