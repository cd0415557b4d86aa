import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, PEOPLE_COUNT, type SeededPlatform, seedPlatform } from '../multiprocess/platform.js';
import { call, type ServerProcess, startServer } from '../multiprocess/server-process.js';
import {
  allArrived,
  changeCount,
  expectDeliveredInOrder,
  type MadeChanges,
  makeChanges,
  missing,
} from '../support/change-stream.js';
import { until } from '../support/poll.js';
import { serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';
import { type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';

// SIGKILL of the platform during push delivery (issue 16): a real server process on the embedded
// database, a webhook subscription (made through the API) to a resource on the machine's
// PostgreSQL captured by logical replication, a receiver in this process that verifies each
// signature, and a steady stream of inserts, updates and deletes at the source. The server is
// killed while a batch is in flight (the receiver has it and has not answered) and changes keep
// coming while it is down; started again on the same data, it must deliver every change, repeat
// only with the original event ids, and keep each row's order.

const postgresUp = await serviceAvailable('postgres');
const CHANGES = 300;
// Changes pushed before the kill.
const KILL_AFTER = 40;

describe.skipIf(!postgresUp)('SIGKILL during webhook delivery, then restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-subcrash-'));
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let server: ServerProcess;
  let platform: SeededPlatform;
  let hook: WebhookReceiver;
  let subscriptionId: string;
  let made: MadeChanges;
  let beforeKill = 0;
  let madeWhileDown = 0;
  let inFlight: string[] = [];

  const changeEvents = () => hook.got.filter((r) => !r.snapshot).flatMap((r) => r.events);

  beforeAll(async () => {
    people = await postgresPeople(PEOPLE_COUNT);
    hook = await webhookReceiver();
    server = await startServer({ HUITONG_DATA_DIR: dataDir });
    platform = await seedPlatform(server.url, adminPassword(server.output()), people.schema);
    const created = await call(server.url, platform.consumerKey, 'POST', '/api/v1/subscriptions', {
      resourceCode: platform.resource,
      channel: { kind: 'webhook', url: hook.url },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    subscriptionId = created.json.id;
    hook.state.secret = created.json.secret;
    await until('the snapshot pushed', () => hook.events().length >= PEOPLE_COUNT, { timeoutMs: 30_000 });

    // The stream runs on; once some of it has arrived, the receiver stops answering, and the
    // server is killed as soon as a batch is in flight (received, not acknowledged). The stream
    // goes on while the server is down and after it is back.
    let down = false;
    const writing = makeChanges(people.client, people.schema, {
      count: CHANGES,
      tag: '崩溃',
      pauseMs: 10,
      onChange: () => {
        if (down) madeWhileDown++;
      },
    });
    await until('the first changes pushed', () => changeEvents().length >= KILL_AFTER, { timeoutMs: 60_000 });
    hook.state.hold = true;
    await until('a batch in flight', () => hook.held.length > 0, { timeoutMs: 30_000 });
    inFlight = hook.got.filter((r) => !r.answered).flatMap((r) => r.events.map((e) => e.eventId));
    beforeKill = changeEvents().length;
    down = true;
    await server.kill();
    for (const res of hook.held.splice(0)) res.destroy();
    hook.state.hold = false;
    server = await startServer({ HUITONG_DATA_DIR: dataDir });
    down = false;
    made = await writing;
    try {
      await until('every change delivered after the restart', () => allArrived(made, changeEvents()), {
        // The killed process's lease on the subscription (60 s) runs out before the new one sends.
        timeoutMs: 150_000,
        everyMs: 500,
      });
    } catch (error) {
      const s = await call(
        server.url,
        platform.consumerKey,
        'GET',
        `/api/v1/subscriptions/${subscriptionId}`,
      );
      throw new Error(
        `${(error as Error).message}\nmissing: ${missing(made, changeEvents()).slice(0, 20).join(', ')}\nsubscription: ${JSON.stringify(s.json)}\nserver: ${server.output().slice(-3000)}`,
      );
    }
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await hook?.close();
    await people?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('was killed in the middle of delivery, with changes made while it was down', () => {
    expect(beforeKill).toBeGreaterThan(0);
    expect(beforeKill).toBeLessThan(changeCount(made));
    expect(inFlight.length, 'no batch was in flight at the kill').toBeGreaterThan(0);
    expect(madeWhileDown, 'no change was made while the server was down').toBeGreaterThan(0);
    expect(hook.badSignatures).toEqual([]);
  });

  it('delivers every change after the restart, repeats only with the original ids, in order per row', () => {
    const { repeats } = expectDeliveredInOrder(made, changeEvents());
    // The batch in flight at the kill was never acknowledged: it came again, with the same ids.
    expect(repeats).toBeGreaterThan(0);
    const after = new Set(
      changeEvents()
        .slice(beforeKill)
        .map((e) => e.eventId),
    );
    for (const id of inFlight) expect(after, `event ${id} in flight at the kill`).toContain(id);
  });

  it('shows the subscription delivered up to date, and its releases in a log that verifies', async () => {
    const shown = await until(
      'caught up',
      async () => {
        const s = await call(
          server.url,
          platform.consumerKey,
          'GET',
          `/api/v1/subscriptions/${subscriptionId}`,
        );
        return s.json.delivery?.lag === 0 && s.json;
      },
      { timeoutMs: 30_000 },
    );
    expect(shown.status).toBe('active');
    const verified = await call(server.url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
    expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
  });
});
