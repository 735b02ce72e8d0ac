#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('winnow is not built yet: run `node scripts/setup.mjs` (or `npm run build`) first.');
  process.exit(2);
}
await import(entry.href);
