#!/usr/bin/env node
// `npm start` builds only what changed since the last build: the server (tsc → dist/) when
// src/ or its configuration is newer than dist/.build-stamp, the console (vite → web/dist/) when
// web/ is newer than web/dist/.build-stamp. A fresh checkout, a missing output or a failed build
// (no stamp written) builds again; --force builds both (`npm run build`).
// Usage: node scripts/build-if-stale.mjs [--root DIR] [--dry-run] [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const root = resolve(args.includes('--root') ? args[args.indexOf('--root') + 1] : '.');
const dryRun = args.includes('--dry-run');
const force = args.includes('--force');

/** The newest modification time under `path` (a file or a directory), ignoring tests. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its directory
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const PARTS = [
  {
    name: 'server',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
    output: 'dist/cli/main.js',
    stamp: 'dist/.build-stamp',
    command: ['npx', 'tsc', '-p', 'tsconfig.build.json'],
  },
  {
    name: 'web',
    inputs: ['web/src', 'web/index.html', 'web/public', 'web/vite.config.ts', 'web/tsconfig.json', 'package.json'],
    output: 'web/dist/index.html',
    stamp: 'web/dist/.build-stamp',
    command: ['npx', 'vite', 'build', '--config', 'web/vite.config.ts'],
  },
];

/** Whether `part` must be built: no output, no stamp, or an input newer than the stamp. */
function stale(part) {
  const stamp = join(root, part.stamp);
  if (!existsSync(join(root, part.output)) || !existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return part.inputs.some((input) => newest(join(root, input)) > built);
}

const todo = force ? PARTS : PARTS.filter(stale);
if (todo.length === 0) {
  process.stdout.write('build: up to date (server and console)\n');
} else {
  process.stdout.write(`build: ${todo.map((p) => p.name).join(' and ')} changed since the last build\n`);
  if (!dryRun) {
    for (const part of todo) {
      const started = new Date();
      const [command, ...rest] = part.command;
      const result = spawnSync(command, rest, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
      if (result.status !== 0) process.exit(result.status ?? 1);
      // Stamped after success only, dated when the build started: a file saved during the build
      // is newer than the stamp, so the next start builds again.
      const stamp = join(root, part.stamp);
      writeFileSync(stamp, `${started.toISOString()}\n`);
      utimesSync(stamp, started, started);
    }
  }
}
