// A real `huitong serve` process for the multi-process and crash tests: spawned from the test run's
// bundle of the CLI (tsx outside Vitest), waited for on /api/health, stopped gently or killed outright.
import { type ChildProcess, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { huitongCommand } from '../support/cli-bundle.js';
import { TEST_OUTBOUND_ALLOW } from '../support/services.js';
import { seedDataDir } from '../support/store-template.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running server process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the process printed (first start prints the administrator's password). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts `huitong serve` with `env` on a free port and waits until it answers /api/health with
 * 200 (or, with `waitFor: 'listening'`, with anything: a server whose store is not there yet
 * answers 503). `port` fixes the port (else a free one).
 */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
  { waitFor = 'healthy', port: fixedPort }: { waitFor?: 'healthy' | 'listening'; port?: number } = {},
): Promise<ServerProcess> {
  // A fixed port: a process restarted behind a load balancer comes back where it was.
  const port = fixedPort ?? (await freePort());
  const cli = huitongCommand();
  // An embedded store not made yet starts as the run's migrated one (test/support/store-template.ts).
  const dataDir = env.HUITONG_DATA_DIR ?? process.env.HUITONG_DATA_DIR;
  if (dataDir && !(env.HUITONG_DATABASE_URL ?? process.env.HUITONG_DATABASE_URL)) seedDataDir(dataDir);
  const child = spawn(cli.command, [...cli.args, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HUITONG_HOST: '127.0.0.1',
      HUITONG_PORT: String(port),
      HUITONG_LOG_LEVEL: 'warn',
      HUITONG_RATE_LIMIT_PER_IP: '1000000',
      HUITONG_RATE_LIMIT_PER_KEY: '1000000',
      // The write loops mint keys for one application without end.
      HUITONG_MAX_KEYS_PER_APPLICATION: '1000000',
      // The demo would load in the background and append audit entries while a test counts them.
      HUITONG_DEMO: '0',
      // Sources on the machine's own databases (also when run outside Vitest: bench/soak).
      HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(','),
      // The seeded platform publishes its resource at once (catalog review has tests of its own).
      HUITONG_CATALOG_REVIEW: 'off',
      // No PostgreSQL wire listener unless a test asks for one: processes started side by side
      // (and parallel test files) would otherwise all want port 8432.
      HUITONG_PG_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok || waitFor === 'listening') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not come up: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** A small HTTP client over fetch with a session cookie or a key, as the tests need it. */
export interface Client {
  headers: Record<string, string>;
}

/** Logs in at `url` and returns the cookie and CSRF headers. */
export async function login(url: string, username: string, password: string): Promise<Client> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('ht_session='))!
    .split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** One JSON request; returns the status, the body, and the request id the server answered with. */
export async function call(
  url: string,
  as: Client | undefined,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON each route answers
): Promise<{ status: number; json: any; requestId: string | null }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(as?.headers ?? {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, requestId: response.headers.get('x-request-id') };
}

/** A download whose client reads the first bytes and then stops reading (a slow or stalled client). */
export interface StalledDownload {
  requestId: string | null;
  status: number;
  /** Settles when the response ends or breaks; `complete` says whether it ended whole. */
  done: Promise<{ complete: boolean }>;
  destroy(): void;
}

/** GETs `path` and stops reading after the first chunk, so that the server's stream stays open. */
export function stalledDownload(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<StalledDownload> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${url}${path}`, { headers }, (response) => {
      let settle: (v: { complete: boolean }) => void = () => undefined;
      const done = new Promise<{ complete: boolean }>((r) => {
        settle = r;
      });
      response.on('end', () => settle({ complete: true }));
      response.on('error', () => settle({ complete: false }));
      response.on('aborted', () => settle({ complete: false }));
      response.on('close', () => settle({ complete: response.complete }));
      response.once('data', () => {
        response.pause();
        resolve({
          requestId: (response.headers['x-request-id'] as string | undefined) ?? null,
          status: response.statusCode ?? 0,
          done,
          destroy: () => request.destroy(),
        });
      });
    });
    request.on('error', reject);
  });
}
