// The order of writes for a batch. Events at or below the recorded position were applied already
// (a batch sent again after a crash) and are skipped. The rest become runs of one kind, in order:
// upserts (insert, update) and deletes. Within a run only the last event of a key matters, so a
// run is one multi-row statement; a delete between two upserts of a key stays between them.
import type { DeliveredEvent } from '../../events.js';
import { ChannelError } from '../types.js';

/** One statement's worth of writes. */
export type Step =
  | { op: 'upsert'; events: (DeliveredEvent & { row: Record<string, unknown> })[] }
  | { op: 'delete'; keyIds: string[] };

/** What a batch does past the position: its steps and the position after it (null when nothing is new). */
export interface Plan {
  steps: Step[];
  last: { seq: number; eventId: string } | null;
  /** How many events are past the position. */
  fresh: number;
}

/** Plans a batch's writes past `lastSeq`. */
export function planBatch(events: DeliveredEvent[], lastSeq: number): Plan {
  const fresh = events.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
  const steps: Step[] = [];
  let upserts = new Map<string, DeliveredEvent & { row: Record<string, unknown> }>();
  let deletes = new Set<string>();
  const flush = () => {
    if (upserts.size) steps.push({ op: 'upsert', events: [...upserts.values()] });
    if (deletes.size) steps.push({ op: 'delete', keyIds: [...deletes] });
    upserts = new Map();
    deletes = new Set();
  };
  for (const e of fresh) {
    if (e.op === 'delete') {
      if (upserts.size) flush();
      deletes.add(e.keyId);
    } else if ((e.op === 'insert' || e.op === 'update') && e.row) {
      if (deletes.size) flush();
      // Deleted and set again so that the map's order follows the last event of each key.
      upserts.delete(e.keyId);
      upserts.set(e.keyId, e as DeliveredEvent & { row: Record<string, unknown> });
    } else
      throw new ChannelError(
        'staging_event_invalid',
        `Event ${e.eventId} (${e.op}) cannot be written to a staging table`,
        false,
      );
  }
  flush();
  const tail = fresh.at(-1);
  return { steps, last: tail ? { seq: tail.seq, eventId: tail.eventId } : null, fresh: fresh.length };
}
