import type { QueryContext } from '../query/index.js';
import { runSourceDelivery } from './worker.js';

/** The running delivery loops, and how to stop them. */
export interface DeliveryLoop {
  /** Looks at the subscriptions once: starts, restarts and stops per-source delivery to match. */
  tick(): Promise<void>;
  /** Stops every source's delivery and waits for each to end (slots and positions stay). */
  stop(): Promise<void>;
}

interface Running {
  resources: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs one capture/delivery loop per source with subscriptions, every `tickMs`: a source that
 * gains subscriptions starts without a restart; one whose subscribed resources changed restarts
 * (its position and slot keep what came meanwhile); one that has none left stops (its slot went
 * with the last subscription). A loop that fails (source down, its slot in use by another
 * process) ends and is started again at a later tick. Over PostgreSQL a replication slot is
 * streamed by one connection at a time, so when several processes run this, one delivers.
 */
export function startDeliveryLoop(
  ctx: QueryContext,
  options: { tickMs: number; onError: (sourceId: string, error: unknown) => void },
): DeliveryLoop {
  const running = new Map<string, Running>();
  let stopped = false;
  let ticking: Promise<void> | undefined;

  const start = (sourceId: string, resources: string) => {
    const controller = new AbortController();
    const entry: Running = {
      resources,
      controller,
      done: runSourceDelivery(ctx, sourceId, controller.signal)
        .catch((error: unknown) => {
          if (!controller.signal.aborted) options.onError(sourceId, error);
        })
        .finally(() => {
          if (running.get(sourceId) === entry) running.delete(sourceId);
        }),
    };
    running.set(sourceId, entry);
  };

  const once = async () => {
    const rows = await ctx.store.db
      .selectFrom('subscriptions')
      .select(['source_id', 'resource_id'])
      .distinct()
      .execute();
    const wanted = new Map<string, string[]>();
    for (const r of rows) wanted.set(r.source_id, [...(wanted.get(r.source_id) ?? []), r.resource_id]);
    for (const [sourceId, entry] of running) {
      const resources = wanted.get(sourceId)?.sort().join(',');
      if (resources === entry.resources) continue;
      entry.controller.abort();
      await entry.done;
    }
    if (stopped) return;
    for (const [sourceId, ids] of wanted) if (!running.has(sourceId)) start(sourceId, ids.sort().join(','));
  };

  const tick = () => {
    ticking ??= once().finally(() => {
      ticking = undefined;
    });
    return ticking;
  };
  const timer = setInterval(
    () => void tick().catch((error: unknown) => options.onError('*', error)),
    options.tickMs,
  );
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking?.catch(() => undefined);
      for (const entry of running.values()) entry.controller.abort();
      await Promise.all([...running.values()].map((e) => e.done));
    },
  };
}
