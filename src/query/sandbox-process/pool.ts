import { SandboxProcess } from './process.js';
import type { ChildSettings } from './protocol.js';

type Settings = Omit<ChildSettings, 'scratch'> & { scratchRoot: string };

/** Children kept started and idle per set of limits, so that a query does not wait for a fork. */
const WARM = 2;

/**
 * Pre-forked children of one set of limits. Each child serves one sandbox and is then killed;
 * taking one starts its replacement in the background. Nothing is forked before the first take,
 * so a process that never runs SQL starts no child.
 */
class Pool {
  private readonly idle: Array<Promise<SandboxProcess>> = [];
  private closed = false;

  constructor(private readonly settings: Settings) {}

  async take(): Promise<SandboxProcess> {
    const next = this.idle.shift() ?? this.spawn();
    // Replacements start once this one is up, not alongside it: forks compete for the CPUs.
    void next.finally(() => this.fill()).catch(() => undefined);
    let child = await next.catch(() => undefined);
    if (child?.exit) {
      void child.dispose();
      child = undefined;
    }
    // A warm start that failed (the machine short of memory then) or a child that died while
    // idle (killed, crashed) is replaced by a fresh one, now.
    child ??= await this.spawn();
    child.hold(true);
    return child;
  }

  private spawn(): Promise<SandboxProcess> {
    return SandboxProcess.start(this.settings).then((child) => {
      child.hold(false);
      return child;
    });
  }

  private fill(): void {
    while (!this.closed && this.idle.length < WARM) {
      const started = this.spawn();
      started.catch(() => undefined);
      this.idle.push(started);
    }
  }

  /** Kills the idle children (those in use belong to their sandboxes). */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((p) => p.then((c) => c.dispose()).catch(() => undefined)));
  }
}

const pools = new Map<string, Pool>();

/** A started child for a sandbox with these limits, warm from the pool when one is ready. */
export function takeSandboxProcess(settings: Settings): Promise<SandboxProcess> {
  const key = JSON.stringify([settings.memoryLimit, settings.threads, settings.scratchRoot]);
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool({
      memoryLimit: settings.memoryLimit,
      threads: settings.threads,
      scratchRoot: settings.scratchRoot,
    });
    pools.set(key, pool);
  }
  return pool.take();
}

/** Kills every idle sandbox child (on platform close); the next query starts a pool again. */
export async function closeSandboxPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.close()));
}
