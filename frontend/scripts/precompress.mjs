#!/usr/bin/env node
/**
 * Precompress the build: writes X.br (brotli, best quality) and X.gz (gzip -9) beside every text asset X in
 * dist/, so the gateway answers each request in the best coding the browser accepts without compressing
 * anything at request time. Runs after both builds (`npm run build`). Node's own zlib: no dependency.
 * HTML pages are left out: the gateway writes a fresh CSP nonce into each one it serves (and compresses
 * that answer itself).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = new Set(['.js', '.mjs', '.css', '.svg', '.json', '.txt', '.webmanifest', '.xml']);
const root = process.argv[2] ?? 'dist';

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (TEXT.has(extname(name))) yield path;
  }
}

let count = 0;
for (const path of files(root)) {
  const data = readFileSync(path);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  count += 1;
}
console.log(`precompressed ${count} files in ${root} (.br and .gz beside each)`);
