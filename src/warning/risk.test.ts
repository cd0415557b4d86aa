import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stewardOf } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Actor } from '../identity/index.js';
import type { Store } from '../store/index.js';
import { applicationRisk } from './index.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-02T10:00:00Z');

// The risk score of a consumer application: its alerts of the last 30 days, by severity, fading
// with age and halved once resolved; explained by the rules behind it.
describeEachStore('the risk score of an application', (kind) => {
  let store: Store;
  const app = randomUUID();
  const other = randomUUID();

  const alert = (subject: string, rule: string, severity: string, daysAgo: number, status = 'open') =>
    store.db
      .insertInto('warning_alerts')
      .values({
        id: randomUUID(),
        rule,
        severity,
        subject,
        subject_org_id: null,
        summary: '测试',
        details: JSON.stringify({}),
        status,
        count: 1,
        entries: JSON.stringify([0]),
        first_index: 0,
        last_index: 0,
        first_seen: new Date(NOW.getTime() - daysAgo * DAY),
        last_seen: new Date(NOW.getTime() - daysAgo * DAY),
        assignee_id: null,
        acknowledged_by: null,
        acknowledged_at: null,
        resolved_by: null,
        resolved_at: null,
        note: null,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();

  beforeAll(async () => {
    store = await openTestStore(kind);
    await alert(`application:${app}`, 'verification_enumeration', 'high', 0);
    await alert(`application:${app}`, 'verification_enumeration', 'high', 7, 'resolved');
    await alert(`key:${app}/k1`, 'new_address', 'medium', 0);
    // Too old, and another application's: not counted.
    await alert(`application:${app}`, 'personal_data_export', 'critical', 40);
    await alert(`application:${other}`, 'many_resources', 'critical', 0);
  });
  afterAll(() => store.close());

  it('adds the points of its recent alerts, fading and halved once resolved, and names the rules', async () => {
    const risk = await applicationRisk(store.db, stewardOf(randomUUID()), app, NOW);
    // 30 (fresh, high) + 30 × ½ (a week old) × ½ (resolved) + 15 (fresh, medium, about its key)
    expect(risk).toMatchObject({ applicationId: app, score: 53, level: 'medium' });
    expect(risk.reasons.map((r) => [r.rule, r.alerts, r.points])).toEqual([
      ['verification_enumeration', 2, 37.5],
      ['new_address', 1, 15],
    ]);
    expect(risk.reasons[0]!.title).toBe('核验接口遍历');
  });

  it('is zero for an application without alerts, and refused to an analyst', async () => {
    const quiet = await applicationRisk(store.db, stewardOf(randomUUID()), randomUUID(), NOW);
    expect(quiet).toMatchObject({ score: 0, level: 'none', reasons: [] });
    const analyst: Actor = {
      kind: 'user',
      userId: randomUUID(),
      orgId: randomUUID(),
      username: 'a',
      roles: ['analyst'],
    };
    await expect(applicationRisk(store.db, analyst, app, NOW)).rejects.toThrow();
  });
});
