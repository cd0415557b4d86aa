import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { huitongCommand } from '../../support/cli-bundle.js';
import { TEST_OUTBOUND_ALLOW } from '../../support/services.js';
import { seedDataDir } from '../../support/store-template.js';

/** A real platform process on a free port with a data directory of its own. */
export interface RunningServer {
  url: string;
  admin: { username: string; password: string };
  /**
   * Stops the process, runs `between` on its stopped data directory (to plant what a platform
   * would have gathered over weeks), and starts it again on the same data and port.
   */
  restart(between: (dataDir: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

// The most recently modified file under `dir`.
function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  }
  return newest;
}

/**
 * Starts `huitong serve` from the sources (the test run's bundle of the CLI, so no server build is
 * needed) and reads the first administrator's password from its output. The UI must have been built (web/dist).
 * `env` adds or replaces settings (the demo is off unless it says HUITONG_DEMO=1; catalog review
 * is off unless it says HUITONG_CATALOG_REVIEW=required; the wire listener is off unless it gives
 * HUITONG_PG_PORT).
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(join(process.cwd(), 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` before the browser tests');
  }
  // A bundle older than the console's sources tests yesterday's console against today's API: its
  // journeys bounce back to /login and fail far from the cause.
  const built = statSync(join(process.cwd(), 'web', 'dist', 'index.html')).mtimeMs;
  const newer = newestSource(join(process.cwd(), 'web', 'src'));
  if (newer.mtimeMs > built) {
    throw new Error(`web/dist is older than ${newer.path}: run \`npm run build\` before the browser tests`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-browser-'));
  seedDataDir(dataDir);
  const port = await freePort();
  // The embedded database, always: a shared PostgreSQL would already have users (no password printed).
  const { HUITONG_DATABASE_URL: _ignored, ...inherited } = process.env;
  const settings = {
    ...inherited,
    HUITONG_PORT: String(port),
    HUITONG_HOST: '127.0.0.1',
    HUITONG_DATA_DIR: dataDir,
    HUITONG_LOG_LEVEL: 'warn',
    HUITONG_DEMO: '0',
    HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(','),
    // Journeys that publish to set up their world publish at once; the catalog review journey
    // (and the demo's) ask for HUITONG_CATALOG_REVIEW=required.
    HUITONG_CATALOG_REVIEW: 'off',
    // No PostgreSQL wire listener unless a test asks for one (parallel files would share 8432).
    HUITONG_PG_PORT: '0',
    ...env,
  };
  const cli = huitongCommand();
  const url = `http://127.0.0.1:${port}`;
  const launch = () => {
    const child: ChildProcess = spawn(cli.command, [...cli.args, 'serve'], {
      cwd: process.cwd(),
      env: settings,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    return { child, output: () => output };
  };
  let running = launch();
  const admin = await new Promise<{ username: string; password: string }>((resolve, reject) => {
    const { child, output } = running;
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output()}`)), 90_000);
    const check = () => {
      const user = /username: (\S+)/.exec(output());
      const pass = /password: (\S+)/.exec(output());
      if (user && pass) {
        clearTimeout(timer);
        resolve({ username: user[1]!, password: pass[1]! });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });
  const halt = async () => {
    const { child } = running;
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  return {
    url,
    admin,
    restart: async (between) => {
      await halt();
      await between(dataDir);
      running = launch();
      // The administrator exists by now: the process is up when it answers ready.
      const deadline = Date.now() + 90_000;
      for (;;) {
        const ready = await fetch(`${url}/api/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        if (running.child.exitCode !== null || Date.now() > deadline)
          throw new Error(`server did not restart:\n${running.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: async () => {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
