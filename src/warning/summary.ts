import type { Kysely, Selectable } from 'kysely';
import { type Actor, authorize } from '../identity/index.js';
import type { Database, WarningAlertTable } from '../store/index.js';
import { presentAlertEvents } from './presenters.js';
import { type AlertEvent, type SeverityCounts, SeveritySchema, type WarningSummary } from './schemas.js';

type Db = Kysely<Database>;

/** The days the summary's chart covers, today included. */
export const SUMMARY_DAYS = 30;
/** The events the summary's timeline lists. */
export const SUMMARY_EVENTS = 20;

const DAY = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar day of an instant (UTC+8 all year), `YYYY-MM-DD`. */
export function shanghaiDay(time: Date): string {
  return new Date(time.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

const none = (): SeverityCounts => ({ low: 0, medium: 0, high: 0, critical: 0 });

/**
 * The warning centre at a glance (docs/warning.md): the alerts open and acknowledged by severity,
 * the alerts of each of the last SUMMARY_DAYS days (by the Asia/Shanghai day their first entry was
 * seen) by severity, and the latest SUMMARY_EVENTS events of the alerts' lives.
 */
export async function warningSummary(db: Db, actor: Actor, now = new Date()): Promise<WarningSummary> {
  authorize(actor, 'warning.read');
  const days = Array.from({ length: SUMMARY_DAYS }, (_, i) =>
    shanghaiDay(new Date(now.getTime() - (SUMMARY_DAYS - 1 - i) * DAY)),
  );
  const since = new Date(`${days[0]}T00:00:00+08:00`);
  const [pending, recent, events] = await Promise.all([
    db
      .selectFrom('warning_alerts')
      .select(['status', 'severity', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', 'in', ['open', 'acknowledged'])
      .groupBy(['status', 'severity'])
      .execute(),
    db
      .selectFrom('warning_alerts')
      .select(['severity', 'first_seen'])
      .where('first_seen', '>=', since)
      .execute(),
    latestEvents(db),
  ]);
  const open = none();
  const acknowledged = none();
  for (const row of pending) {
    const severity = SeveritySchema.safeParse(row.severity);
    if (!severity.success) continue;
    (row.status === 'open' ? open : acknowledged)[severity.data] += Number(row.n);
  }
  const daily = new Map(days.map((day) => [day, { day, ...none() }]));
  for (const row of recent) {
    const severity = SeveritySchema.safeParse(row.severity);
    const day = daily.get(shanghaiDay(row.first_seen));
    if (severity.success && day) day[severity.data]++;
  }
  return { open, acknowledged, days: SUMMARY_DAYS, daily: [...daily.values()], events };
}

/**
 * The latest events of the alerts. Every event of an alert is at or before its updated_at, so
 * those of the most recently updated alerts, cut at the oldest of them, are the latest of all.
 */
async function latestEvents(db: Db): Promise<AlertEvent[]> {
  const rows: Selectable<WarningAlertTable>[] = await db
    .selectFrom('warning_alerts')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(SUMMARY_EVENTS)
    .execute();
  const people = [
    ...new Set(
      rows.flatMap((r) => [r.acknowledged_by, r.resolved_by, r.response?.undoneBy ?? null]).filter(Boolean),
    ),
  ] as string[];
  const names = new Map(
    people.length === 0
      ? []
      : (await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', people).execute()).map(
          (u) => [u.id, u.display_name],
        ),
  );
  const cut = rows.length === SUMMARY_EVENTS ? rows.at(-1)!.updated_at.getTime() : 0;
  return rows
    .flatMap((row) => presentAlertEvents(row, names))
    .filter((e) => new Date(e.at).getTime() >= cut)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, SUMMARY_EVENTS);
}
