import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-if-stale.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'huitong-build-'));
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Writes `path` under the fake checkout with modification time `when`. */
function file(path: string, when: Date) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, when, when);
  // Directories count too (a deleted file changes its directory): keep them old.
  for (let dir = dirname(full); dir.startsWith(root) && dir !== root; dir = dirname(dir))
    utimesSync(dir, T0, T0);
}
const check = (...flags: string[]) =>
  execFileSync(process.execPath, [SCRIPT, '--root', root, '--dry-run', ...flags], {
    encoding: 'utf8',
  }).trim();

describe('npm start builds only what changed (scripts/build-if-stale.mjs)', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds both on a fresh checkout, nothing once stamped, and only the part whose sources changed', () => {
    file('src/cli/main.ts', T0);
    file('web/src/main.tsx', T0);
    file('package.json', T0);
    expect(check()).toBe('build: server and web changed since the last build');

    file('dist/cli/main.js', at(1));
    file('dist/.build-stamp', at(1));
    file('web/dist/index.html', at(1));
    file('web/dist/.build-stamp', at(1));
    expect(check()).toBe('build: up to date (server and console)');

    file('web/src/pages/new-page.tsx', at(2));
    expect(check()).toBe('build: web changed since the last build');
    file('web/dist/.build-stamp', at(3));
    expect(check()).toBe('build: up to date (server and console)');

    // A test file is not part of the build; a source file is.
    file('src/http/app.test.ts', at(4));
    expect(check()).toBe('build: up to date (server and console)');
    file('src/http/app.ts', at(4));
    expect(check()).toBe('build: server changed since the last build');
    file('dist/.build-stamp', at(5));

    // A dependency change (package.json) rebuilds both; a missing output rebuilds its part.
    file('package.json', at(6));
    expect(check()).toBe('build: server and web changed since the last build');
    file('dist/.build-stamp', at(7));
    file('web/dist/.build-stamp', at(7));
    rmSync(join(root, 'web/dist/index.html'));
    expect(check()).toBe('build: web changed since the last build');
    expect(check('--force')).toBe('build: server and web changed since the last build');
  });
});
