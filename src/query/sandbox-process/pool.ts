import { availableParallelism } from 'node:os';
import { SandboxProcess, settleDismissed } from './process.js';
import type { ChildSettings } from './protocol.js';

type Settings = Omit<ChildSettings, 'scratch'> & {
  scratchRoot: string;
  /** Children kept started and idle (HUITONG_QUERY_WARM_SANDBOXES); by default one per core. */
  warm?: number;
  /** How long a taken child's query may run before its replacement starts anyway (ms). */
  refillAfterMs?: number;
};

/** The default number of warm children: one per core, so that queries side by side find one each. */
export const defaultWarmSandboxes = (): number => Math.max(1, availableParallelism());

/** How long a taken child's query may run before its replacement starts anyway, by default. */
const REFILL_AFTER_MS = 1000;

/**
 * Pre-forked children of one set of limits. Each child serves one sandbox and is then killed —
 * never reused, so that nothing of one query (tables, DuckDB's caches, freed memory) is ever in
 * the process that runs another's SQL; its replacement starts in the background once the query
 * that took it has ended (or has run for a second). A child that dies while idle is replaced at
 * once. Nothing is forked before the first take, so a process that never runs SQL starts no child.
 */
class Pool {
  private readonly idle: Array<Promise<SandboxProcess>> = [];
  private closed = false;
  private readonly warm: number;
  /** Children starting now, and the most that may start at once (one per core). */
  private starting = 0;
  private readonly most: number;
  private readonly waiting: Array<() => void> = [];
  /** Warm starts that failed in a row (their retries back off). */
  private failures = 0;

  constructor(private readonly settings: Settings) {
    this.warm = settings.warm ?? defaultWarmSandboxes();
    this.most = Math.max(1, availableParallelism());
  }

  /** Children idle or starting (tests, diagnostics). */
  get size(): number {
    return this.idle.length;
  }

  async take(): Promise<SandboxProcess> {
    const next = this.idle.shift() ?? this.spawn();
    let child = await next.catch(() => undefined);
    // The replacement starts once this child's query has ended (or has run for a while), not
    // alongside it: a start is a second of CPU that the query would share on a machine of few
    // cores (measured: a point query's source read took 13–19 ms beside a starting child, 1 ms
    // without; bench/query-pushdown/phases.ts).
    if (child) this.refillAfter(child);
    else this.fill();
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

  /**
   * Starts a child, at most `most` at once: past that a start waits for another to end. A burst of
   * SQL on a busy machine would otherwise fork a process per waiting query, each start slowing
   * every other (measured: a dozen children starting at once in the soak at load 30). Starts
   * always end (ready or exited), so a waiting query always gets its turn.
   */
  private async spawn(): Promise<SandboxProcess> {
    while (this.starting >= this.most) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.starting++;
    const { warm: _, refillAfterMs: __, ...settings } = this.settings;
    try {
      const child = await SandboxProcess.start(settings);
      child.hold(false);
      return child;
    } finally {
      this.starting--;
      this.waiting.shift()?.();
    }
  }

  /** Fills the pool once `child` has exited, or after `refillAfterMs` if it runs on. */
  private refillAfter(child: SandboxProcess): void {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.refillAfterMs ?? REFILL_AFTER_MS);
      timer.unref();
    });
    void Promise.race([child.exited, late]).then(() => {
      clearTimeout(timer);
      this.fill();
    });
  }

  private fill(): void {
    while (!this.closed && this.idle.length < this.warm) {
      const started = this.spawn();
      this.idle.push(started);
      const out = () => {
        const at = this.idle.indexOf(started);
        if (at >= 0) this.idle.splice(at, 1);
        return at >= 0;
      };
      started.then(
        async (child) => {
          this.failures = 0;
          // Killed or crashed while idle: out of the pool, and a fresh one started in its place.
          await child.exited;
          if (child.busy || !out()) return;
          void child.dispose();
          this.fill();
        },
        () => {
          // A start that failed (killed while starting, the machine short of memory or processes)
          // is tried again after a pause that doubles with each failure in a row, up to 30 s.
          if (!out()) return;
          const pause = Math.min(30_000, 500 * 2 ** this.failures++);
          setTimeout(() => this.fill(), pause).unref();
        },
      );
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

const poolKey = (s: Settings) =>
  JSON.stringify([s.memoryLimit, s.threads, s.scratchRoot, s.warm, s.refillAfterMs]);

/** A started child for a sandbox with these limits, warm from the pool when one is ready. */
export function takeSandboxProcess(settings: Settings): Promise<SandboxProcess> {
  const key = poolKey(settings);
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool({
      memoryLimit: settings.memoryLimit,
      threads: settings.threads,
      scratchRoot: settings.scratchRoot,
      warm: settings.warm,
      refillAfterMs: settings.refillAfterMs,
    });
    pools.set(key, pool);
  }
  return pool.take();
}

/** Kills every idle sandbox child (on platform close); the next query starts a pool again. */
export async function closeSandboxPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all([...all.map((pool) => pool.close()), settleDismissed()]);
}

/** Children idle or starting in the pool of these settings (tests, diagnostics). */
export function warmSandboxes(settings: Settings): number {
  return pools.get(poolKey(settings))?.size ?? 0;
}
