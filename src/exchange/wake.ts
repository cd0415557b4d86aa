// In-process wake-ups: when events are stored, the dispatcher and long polls waiting on the
// subscription look at once instead of at their next tick (other processes find them by polling).
type Listener = (subscriptionIds: string[]) => void;
const listeners = new Set<Listener>();

/** Tells this process's listeners that events were stored for these subscriptions. */
export function eventsStored(subscriptionIds: string[]): void {
  if (subscriptionIds.length === 0) return;
  for (const listener of listeners) listener(subscriptionIds);
}

/** Listens for stored events; returns how to stop listening. */
export function onEventsStored(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
