// A labelled synthetic audit log for the early-warning benchmark: consumers reading through the
// working hours of a month (their own rates, addresses and resources, sign-ins with the odd typo)
// and, on later days, planted misuse of each detector's kind.
import type { AuditActor, AuditEvent } from '../../src/audit/index.js';

/** A planted misuse: the rule that should fire and the subject it should name. */
export interface Incident {
  rule: string;
  subject: string;
  day: number;
}

const HOUR = 3_600_000;
const SHA = 'c'.repeat(64);

/** A small seeded generator (mulberry32), so that every run plants the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const app = (c: number): AuditActor => ({ kind: 'application', id: `app-${c}/key-${c}`, orgId: `org-${c}` });

function release(
  actor: AuditActor,
  time: Date,
  resource: string,
  extra: Record<string, unknown> = {},
): AuditEvent {
  return {
    type: 'data.release',
    actor,
    requestId: `r-${time.getTime().toString(36)}-${Math.floor(Math.random() * 1e9)}`,
    resources: [resource],
    time,
    data: {
      items: { [resource]: ['区划', '金额'] },
      grantId: null,
      purpose: '基准',
      query: 'rows',
      format: 'json',
      rows: 50,
      bytes: 4000,
      sha256: SHA,
      status: 'complete',
      ...extra,
    },
  };
}

/** The log's events in time order, and the incidents planted in it. */
export function syntheticLog(options: {
  consumers: number;
  days: number;
  rounds: number;
  /** Midnight (Asia/Shanghai) of the first day, a Monday. */
  start: Date;
  /** A resource whose items the catalog marks personal, for the export incidents. */
  personalResource: string;
  isWorkingDay: (time: Date) => boolean;
}): { events: AuditEvent[]; incidents: Incident[] } {
  const rand = random(18);
  const { consumers, days, start } = options;
  const events: AuditEvent[] = [];
  const at = (day: number, hour: number, minute = 0) =>
    new Date(start.getTime() + day * 24 * HOUR + hour * HOUR + minute * 60_000);
  for (let day = 0; day < days; day++) {
    if (!options.isWorkingDay(at(day, 12))) continue;
    for (let c = 0; c < consumers; c++) {
      const user: AuditActor = { kind: 'user', id: `user-${c}`, orgId: `org-${c}` };
      events.push({
        type: 'auth.login',
        actor: user,
        time: at(day, 8, 50 + (c % 9)),
        data: { ip: `10.${c}.0.9` },
      });
      if (rand() < 0.2)
        events.push({
          type: 'auth.login_failed',
          actor: { kind: 'system', id: 'anonymous', orgId: null },
          time: at(day, 8, 49),
          data: { ip: `10.${c}.0.9`, username: `user-${c}` },
        });
      const rate = 2 + (c % 8);
      for (let hour = 9; hour < 18; hour++) {
        const n = Math.max(0, Math.round(rate + (rand() - 0.5) * rate));
        for (let i = 0; i < n; i++) {
          const time = at(day, hour, Math.floor(rand() * 60));
          const resource = `R-${c}-${Math.floor(rand() * 4)}`;
          events.push(release(app(c), time, resource, { ip: `10.${c}.0.${1 + Math.floor(rand() * 2)}` }));
        }
      }
    }
  }
  const incidents: Incident[] = [];
  const kinds = 8;
  const late = Math.max(1, days - 15);
  for (let i = 0; i < options.rounds * kinds; i++) {
    const c = (i * 7) % consumers;
    let day = 15 + ((i * 3) % late);
    while (!options.isWorkingDay(at(day, 12)) && day < days - 1) day++;
    const actor = app(c);
    const plant = (rule: string, subject: string, planted: AuditEvent[]) => {
      events.push(...planted);
      incidents.push({ rule, subject, day });
    };
    const ip = `10.${c}.0.1`;
    switch (i % kinds) {
      case 0:
        plant(
          'volume_above_baseline',
          `application:app-${c}`,
          Array.from({ length: 80 }, (_, k) => release(actor, at(day, 10, k % 60), `R-${c}-0`, { ip })),
        );
        break;
      case 1:
        plant('off_hours_bulk', `application:app-${c}`, [
          release(actor, at(day, 2), `R-${c}-1`, { ip, rows: 50_000 }),
        ]);
        break;
      case 2:
        plant('new_address', `key:${actor.id}`, [
          release(actor, at(day, 11), `R-${c}-1`, { ip: `203.0.113.${c % 250}` }),
        ]);
        break;
      case 3:
        plant(
          'verification_enumeration',
          `application:app-${c}`,
          Array.from({ length: 120 }, (_, k) =>
            release(actor, at(day, 14, k / 4), 'V-1', {
              ip,
              format: 'verification',
              items: { 'V-1': ['身份证号', '姓名'] },
              claim: { 身份证号: `${c}-${day}-${k}`.padEnd(64, '0'), 姓名: '0'.repeat(64) },
              rows: 1,
            }),
          ),
        );
        break;
      case 4:
        plant(
          'many_resources',
          `application:app-${c}`,
          Array.from({ length: 25 }, (_, k) => release(actor, at(day, 15, k / 5), `X-${k}`, { ip })),
        );
        break;
      case 5:
        plant(
          'brute_force',
          `address:198.51.100.${c % 250}`,
          Array.from({ length: 15 }, (_, k) => ({
            type: 'auth.login_failed',
            actor: { kind: 'system' as const, id: 'anonymous', orgId: null },
            time: at(day, 16, k / 2),
            data: { ip: `198.51.100.${c % 250}`, username: `guess-${k}` },
          })),
        );
        break;
      case 6:
        plant('night_admin', `user:admin-${c}`, [
          {
            type: 'user.created',
            actor: { kind: 'user', id: `admin-${c}`, orgId: `org-${c}` },
            time: at(day, 23),
            data: {},
          },
        ]);
        break;
      default:
        plant('personal_data_export', `application:app-${c}`, [
          release(actor, at(day, 11, 30), options.personalResource, {
            ip,
            format: 'csv',
            rows: 8000,
            items: { [options.personalResource]: ['身份证号', '区划'] },
          }),
        ]);
    }
  }
  events.sort((a, b) => a.time!.getTime() - b.time!.getTime());
  return { events, incidents };
}
