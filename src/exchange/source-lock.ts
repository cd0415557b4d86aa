// A source's deliveries and a snapshot being taken of one of its resources must not interleave:
// a change captured after a snapshot batch was read but stored before it would be overwritten by
// the older snapshot row. Within one process, a snapshot holds its source's lock from its first
// read to its last store, and each captured batch is delivered under the same lock. (Across
// processes a captured batch also reaches subscriptions still in their snapshot: docs/subscriptions.md.)
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` once every earlier holder of the source's lock in this process is done. */
export async function withSourceLock<T>(sourceId: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(sourceId) ?? Promise.resolve();
  const run = before.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(sourceId, tail);
  try {
    return await run;
  } finally {
    if (tails.get(sourceId) === tail) tails.delete(sourceId);
  }
}
