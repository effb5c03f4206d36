#!/usr/bin/env node
// `npx vigil` from the repository root: runs the built CLI (`npm start` or `npm run build` builds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../packages/cli/dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('error: Vigil is not built yet; run `npm start` or `npm run build` first.\n');
  process.exit(2);
}
await import(main.href);
