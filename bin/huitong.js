#!/usr/bin/env node
// The `huitong` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('huitong: error: the project is not built; run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
