import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAuditKey } from '../../test/support/http.js';
import { serviceAvailable } from '../../test/support/services.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { failedLogin, plus, shanghai } from '../../test/support/warning.js';
import { type AuditLog, createAuditLog } from '../audit/index.js';
import type { Store } from '../store/index.js';
import { WarningEngine } from './index.js';

const START = shanghai('2026-12-02T10:00:00');
const postgresUp = await serviceAvailable('postgres');

// The evaluation is incremental and durable: the cursor and the alerts commit together, the
// windows are rebuilt after a restart by replaying the look-back, and one process evaluates at
// a time.
describeEachStore('the early-warning engine', (kind) => {
  let store: Store;
  let audit: AuditLog;
  const cursor = async () =>
    Number(
      (await store.db.selectFrom('warning_cursor').select('position').executeTakeFirstOrThrow()).position,
    );
  const bruteForce = (ip: string) =>
    store.db
      .selectFrom('warning_alerts')
      .selectAll()
      .where('rule', '=', 'brute_force')
      .where('subject', '=', `address:${ip}`)
      .execute();
  const fail = (ip: string, from: number, to: number) =>
    audit.appendMany(
      Array.from({ length: to - from }, (_, i) =>
        failedLogin(ip, `user-${from + i}`, plus(START, (from + i) / 2)),
      ),
    );

  beforeAll(async () => {
    store = await openTestStore(kind);
    audit = await createAuditLog(store, { key: testAuditKey(), checkpointIntervalMs: 0 });
  });
  afterAll(async () => {
    await audit.close();
    await store.close();
  });

  it('resumes from its cursor after a restart, the windows rebuilt, without double alerts', async () => {
    await fail('192.0.2.10', 0, 8);
    const first = new WarningEngine(store.db, { batchSize: 3 });
    const before = await first.evaluate();
    expect(before).toMatchObject({ evaluated: 8, alerts: [] });
    expect(await cursor()).toBe(before.position);

    // A new process (a restart): the eight failures before the cursor are replayed, not re-evaluated.
    await fail('192.0.2.10', 8, 12);
    const restarted = new WarningEngine(store.db);
    const after = await restarted.evaluate();
    expect(after.evaluated).toBe(4);
    expect(after.alerts).toHaveLength(1);
    const [alert] = await bruteForce('192.0.2.10');
    // The 10th, 11th and 12th failures: the window reached across the restart.
    expect(alert).toMatchObject({ count: 3, status: 'open' });

    // A third start with nothing new evaluates nothing and raises nothing.
    expect(await new WarningEngine(store.db).evaluate()).toMatchObject({ evaluated: 0, alerts: [] });
    expect(await bruteForce('192.0.2.10')).toHaveLength(1);
  });

  it('notifies every security officer of a new alert, once per alert', async () => {
    const { buildUser } = await import('../../test/support/factories.js');
    const officer = await buildUser(store.db, { roles: ['security_officer'] });
    await fail('192.0.2.20', 0, 14);
    const { alerts } = await new WarningEngine(store.db).evaluate();
    expect(alerts.map((a) => a.subject)).toContain('address:192.0.2.20');
    const notes = await store.db
      .selectFrom('notifications')
      .select(['kind', 'title'])
      .where('recipient_user_id', '=', officer.id)
      .execute();
    expect(notes.filter((n) => n.title.includes('192.0.2.20'))).toEqual([
      { kind: 'warning.alert', title: expect.stringContaining('安全预警（高）') },
    ]);
  });

  it.skipIf(kind !== 'postgres' || !postgresUp)(
    'lets one process evaluate at a time: two engines on one store evaluate each entry once',
    async () => {
      const second = await openTestStore(kind, { schema: store.schema });
      try {
        await fail('192.0.2.30', 0, 40);
        const at = await cursor();
        const [a, b] = await Promise.all([
          new WarningEngine(store.db, { batchSize: 5 }).evaluate(),
          new WarningEngine(second.db, { batchSize: 5 }).evaluate(),
        ]);
        // Whichever held the cursor's lock went first; the other skipped or took the rest.
        expect(a.evaluated + b.evaluated).toBe(40);
        expect(await cursor()).toBe(at + 40);
        expect(await bruteForce('192.0.2.30')).toHaveLength(1);
      } finally {
        await second.close();
      }
    },
  );
});
