// A steady stream of changes to a source's `people` table, and the check that a subscriber
// received them all: for the push-delivery fault tests (crash, source down, slow endpoint).
// Each change is its own transaction with content found nowhere else (a name per version, in the
// region column `qh`: granted to every test subscriber and never masked), so what arrived can be
// matched to what was made without knowing the platform's keyed hashes.
import type pg from 'pg';
import { expect } from 'vitest';
import { makeIdNumber } from './source-data.js';
import type { ReceivedEvent } from './webhook-receiver.js';

/** The states each row went through, by its first name (null: deleted), in the order made. */
export type MadeChanges = Map<string, Array<string | null>>;

/**
 * Makes `count` inserts into `schema`.people (names `<tag><i>` in `qh`), updating every third
 * row's name two rows later and deleting every tenth row five rows later, pausing `pauseMs` between
 * changes and calling `onChange` after each. Calls on the same table pass `from` (past the
 * previous calls' counts) so their rows differ. `made` records each change once committed (a
 * change whose statement failed is retried until it commits: the source itself stays up).
 */
export async function makeChanges(
  client: pg.Client,
  schema: string,
  {
    count,
    tag,
    from = 0,
    pauseMs = 0,
    onChange,
  }: { count: number; tag: string; from?: number; pauseMs?: number; onChange?: (done: number) => unknown },
): Promise<MadeChanges> {
  const made: MadeChanges = new Map();
  // Row i's identity number: distinct for `from + i` up to 899 (the sequence part has 3 digits).
  const idOf = (i: number) => makeIdNumber('350102', '19900101', 100 + from + i);
  let done = 0;
  const step = async (text: string, values: unknown[], name: string, state: string | null) => {
    await client.query(text, values);
    const states = made.get(name) ?? [];
    states.push(state);
    made.set(name, states);
    done++;
    await onChange?.(done);
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  };
  for (let i = 0; i < count; i++) {
    const name = `${tag}${i}`;
    await step(
      `INSERT INTO ${schema}.people VALUES ('测试人', $2, '13800000000', '6222', '良好', $1)`,
      [name, idOf(i)],
      name,
      name,
    );
    const updated = i - 2;
    if (updated >= 0 && updated % 3 === 0 && updated % 10 !== 0)
      await step(
        `UPDATE ${schema}.people SET qh = $1 WHERE sfzh = $2`,
        [`${tag}${updated}-改`, idOf(updated)],
        `${tag}${updated}`,
        `${tag}${updated}-改`,
      );
    const deleted = i - 5;
    if (deleted >= 0 && deleted % 10 === 0)
      await step(`DELETE FROM ${schema}.people WHERE sfzh = $1`, [idOf(deleted)], `${tag}${deleted}`, null);
  }
  return made;
}

/** How many changes `made` holds. */
export function changeCount(made: MadeChanges): number {
  return [...made.values()].reduce((n, states) => n + states.length, 0);
}

/** Whether every change in `made` has arrived among `events` (by content), for polling. */
export function allArrived(made: MadeChanges, events: ReceivedEvent[]): boolean {
  return missing(made, events).length === 0;
}

/** The changes of `made` not (yet) among `events`, as `<row>: <state>` (null: its delete). */
export function missing(made: MadeChanges, events: ReceivedEvent[]): string[] {
  const absent: string[] = [];
  const seen = new Set(events.map((e) => (e.op === 'delete' ? `del:${e.keyId}` : `${e.op}:${e.row?.qh}`)));
  const keyIds = new Map<string, string>();
  for (const e of events) if (e.op === 'insert') keyIds.set(String(e.row?.qh), e.keyId);
  for (const [name, states] of made)
    for (const [i, state] of states.entries()) {
      if (state === null) {
        const keyId = keyIds.get(name);
        if (!keyId || !seen.has(`del:${keyId}`)) absent.push(`${name}: null`);
      } else if (!seen.has(`${i === 0 ? 'insert' : 'update'}:${state}`)) absent.push(`${name}: ${state}`);
    }
  return absent;
}

/**
 * Checks what arrived (`events`, in arrival order, only events of changes made by makeChanges)
 * against what was made: every change arrived; an event that arrived more than once carried
 * the same event id and content each time (a repeat only with its original id), and no change
 * arrived under two ids; per row, the distinct events came in the order the changes were made;
 * and the last event that arrived for each row is its latest state. Returns how many events
 * arrived more than once.
 */
export function expectDeliveredInOrder(made: MadeChanges, events: ReceivedEvent[]): { repeats: number } {
  // A repeat carries its original id: one content per id, one id per content.
  const contentOf = (e: ReceivedEvent) => `${e.keyId}|${e.op}|${JSON.stringify(e.row)}`;
  const byId = new Map<string, string>();
  const byContent = new Map<string, string>();
  let repeats = 0;
  for (const e of events) {
    const content = contentOf(e);
    const known = byId.get(e.eventId);
    if (known !== undefined) {
      repeats++;
      expect(known, `event ${e.eventId} arrived again with other content`).toBe(content);
    }
    byId.set(e.eventId, content);
    const id = byContent.get(content);
    expect(id ?? e.eventId, `the change ${content} arrived under two event ids`).toBe(e.eventId);
    byContent.set(content, e.eventId);
  }
  // Rows by the name they were inserted with (the keyed hash identifies the row in every event).
  const nameOf = new Map<string, string>();
  for (const e of events) if (e.op === 'insert') nameOf.set(e.keyId, String(e.row?.qh));
  const firstSeen = new Map<string, Array<string | null>>();
  const last = new Map<string, string | null>();
  const seenIds = new Set<string>();
  let lastSeq = new Map<string, number>();
  for (const e of events) {
    const name = nameOf.get(e.keyId);
    expect(name, `an event for a row whose insert never arrived: ${contentOf(e)}`).toBeDefined();
    const state = e.op === 'delete' ? null : String(e.row?.qh);
    last.set(name as string, state);
    if (seenIds.has(e.eventId)) continue;
    seenIds.add(e.eventId);
    firstSeen.set(name as string, [...(firstSeen.get(name as string) ?? []), state]);
    // Distinct events of one row arrive in sequence order.
    const previous = lastSeq.get(e.keyId) ?? 0;
    expect(e.seq, `row ${name}: event ${e.eventId} arrived after a later one`).toBeGreaterThan(previous);
    lastSeq = lastSeq.set(e.keyId, e.seq);
  }
  // Every change arrived, per row in the order made, and nothing else.
  expect(Object.fromEntries(firstSeen)).toEqual(Object.fromEntries(made));
  // The last event per row is the row's latest state.
  const latest = Object.fromEntries([...made].map(([name, states]) => [name, states.at(-1)]));
  expect(Object.fromEntries(last)).toEqual(latest);
  return { repeats };
}
