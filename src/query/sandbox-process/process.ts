import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceUnavailableError } from '../../errors/index.js';
import { recordSandboxStart, watchSandboxes } from '../../observability/index.js';
import { SandboxFailureError } from './duck-error.js';
import type { ChildSettings, Reply, Request } from './protocol.js';

// The child's entry: child.js in dist/; under tsx (tests, development) child.ts, or a bundle of
// it built once (HUITONG_SANDBOX_CHILD, set by the test setup): starting tsx in every child costs
// about a second of CPU per query. Built servers ignore the setting.
const RUNNING_SOURCE = import.meta.url.endsWith('.ts');
const CHILD =
  (RUNNING_SOURCE ? process.env.HUITONG_SANDBOX_CHILD : undefined) ||
  fileURLToPath(new URL(`./child${RUNNING_SOURCE ? '.ts' : '.js'}`, import.meta.url));

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Payload = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The child's end, as the parent sees it: why it stopped, if it did. */
export class ChildExited extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`sandbox process exited (${signal ?? `code ${code}`})`);
  }
}

/**
 * A 503 with a stable code for a sandbox that cannot start (scratch folder unusable, the machine out
 * of memory or processes): an outage the caller may retry, not a 500. The cause stays in the log
 * and the readiness check; it names server paths, so it never reaches the client.
 */
function unavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    'sandbox_unavailable',
    'The query sandbox cannot start now; try again later',
    30,
  );
}

// Every child alive in this process, for the gauges of /metrics (count by state, memory).
const live = new Set<SandboxProcess>();
watchSandboxes(() => live);

/** When the last child start failed, if it did and none has started since (the readiness check). */
let lastStartFailure: { at: number; message: string } | undefined;

/** The last failed start of a child, unless one has started since. */
export function lastSandboxStartFailure(): { at: number; message: string } | undefined {
  return lastStartFailure;
}

function noteStart(error?: Error): void {
  recordSandboxStart(error === undefined);
  lastStartFailure = error ? { at: Date.now(), message: error.message } : undefined;
}

/** One DuckDB child process with its scratch folder, started ready to take one sandbox. */
export class SandboxProcess {
  /** Serving a sandbox (as opposed to idle, warm in its pool). */
  busy = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the child has exited. */
  exit: ChildExited | undefined;
  readonly exited: Promise<ChildExited>;

  private constructor(
    private readonly child: ChildProcess,
    readonly scratch: string,
  ) {
    live.add(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(this);
        this.exit = new ChildExited(code, signal);
        for (const p of this.pending.values()) p.reject(this.exit);
        this.pending.clear();
        resolve(this.exit);
      });
    });
    child.on('message', (reply: Reply) => {
      if ('ready' in reply) return;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) p.reject(new SandboxFailureError(reply.error));
      else p.resolve(reply.value);
    });
  }

  /** Forks a child, resolves once its DuckDB is open (rejects if it exits before). */
  static async start(
    settings: Omit<ChildSettings, 'scratch'> & { scratchRoot: string },
  ): Promise<SandboxProcess> {
    const scratch = await mkdtemp(join(settings.scratchRoot, 'q-')).catch((error: Error) => {
      noteStart(error);
      throw unavailable();
    });
    const child = fork(CHILD, [JSON.stringify({ ...settings, scratch } satisfies ChildSettings)], {
      serialization: 'advanced',
      execArgv: CHILD.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const started = new SandboxProcess(child, scratch);
    const ready = new Promise<void>((resolve) => {
      child.on('message', (reply: Reply) => {
        if ('ready' in reply) resolve();
      });
    });
    const exit = await Promise.race([ready.then(() => undefined), started.exited]);
    if (exit) {
      await rm(scratch, { recursive: true, force: true });
      noteStart(new Error(`The query sandbox could not start: ${exit.message}`));
      throw unavailable();
    }
    noteStart();
    return started;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a request and waits for its reply; rejects with ChildExited if the child dies. */
  request<T>(payload: Payload): Promise<T> {
    if (this.exit) return Promise.reject(this.exit);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...payload, id } as Request, (error) => {
        if (error && this.pending.delete(id)) reject(this.exit ?? error);
      });
    });
  }

  /** Asks DuckDB to interrupt the running statement (it may not stop: see kill). */
  interrupt(): void {
    if (!this.exit && this.child.connected) this.child.send({ id: 0, op: 'interrupt' } satisfies Request);
  }

  /** The child's resident set in bytes (Linux /proc), or undefined where it cannot be read. */
  async rss(): Promise<number | undefined> {
    if (this.exit || !this.child.pid) return undefined;
    try {
      const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }

  /** While idle in a pool the child must not keep the parent's event loop alive; in use it does. */
  hold(held: boolean): void {
    this.busy = held;
    const channel = this.child.channel as { ref(): void; unref(): void } | undefined;
    if (held) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }

  /** Kills the child at once (nothing it holds needs an orderly end). */
  kill(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  /**
   * Kills the child now and leaves its end and the deletion of its scratch folder to follow: a
   * caller with its answer in hand need not wait for them (`settleDismissed` does, at shutdown).
   */
  dismiss(): void {
    const done: Promise<void> = this.dispose()
      .catch(() => undefined)
      .finally(() => dismissed.delete(done));
    dismissed.add(done);
  }

  /** Kills the child, waits for its end and deletes its scratch folder. */
  async dispose(): Promise<void> {
    // Held, so that the loop waits for the exit of an idle (unreferenced) child too.
    this.hold(true);
    this.kill();
    await this.exited;
    await rm(this.scratch, { recursive: true, force: true });
  }
}

/** Children dismissed whose end and scratch folder are still being waited for. */
const dismissed = new Set<Promise<void>>();

/** Waits until every dismissed child has ended and its scratch folder is gone. */
export async function settleDismissed(): Promise<void> {
  await Promise.all([...dismissed]);
}
