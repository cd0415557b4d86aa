import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import { type Actor, authorize, getOrganization, isAllowed } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { deadlineClock } from './clock.js';
import { loadRules } from './rules.js';
import type { SlaQuery, SlaReport } from './schemas.js';
import { SLA_ITEMS } from './sla-items.js';

type Db = Kysely<Database>;
type Department = SlaReport['departments'][number];

/**
 * On-time rate per responsible department and the items overdue now, for one step (access
 * requests by default; catalog changes per author organisation). The platform
 * administrator and the auditor see every department; an organisation's administrator or
 * security officer only its own (another's is a 404). Withdrawn requests, demands and changes count nowhere.
 */
export async function slaReport(db: Db, actor: Actor, query: SlaQuery, now = new Date()): Promise<SlaReport> {
  const caller = authorize(actor, 'sla.read', { orgId: query.orgId, noun: 'Organization' });
  if (query.orgId) await getOrganization(db, query.orgId);
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && to <= from)
    throw new BadRequestError('invalid_period', '`to` must be after `from`', { field: 'to' });
  const everyone = isAllowed(actor, 'sla.read', { orgId: '-' });
  const orgId = query.orgId ?? (everyone ? undefined : caller.orgId);
  const step = query.step ?? 'access_request';
  const [items, calendar, rules, escalations] = [
    await SLA_ITEMS[step](db, { orgId, from, to }),
    await loadCalendar(db),
    await loadRules(db),
    await db.selectFrom('deadline_events').select('subject_id').where('kind', '=', 'escalated').execute(),
  ];
  const escalated = new Set(escalations.map((e) => e.subject_id));
  const departments = new Map<string, Department>();
  const overdue: SlaReport['overdue'] = [];
  let provisional = false;
  for (const r of items) {
    const clock = deadlineClock(r, calendar, rules, now);
    // A step ended without an answer (a withdrawn demand or change) counts nowhere.
    if (clock.state === 'stopped' && step !== 'access_request') continue;
    provisional ||= clock.provisional;
    const d = departments.get(r.orgId) ?? {
      orgId: r.orgId,
      orgName: r.orgName,
      requests: 0,
      answered: 0,
      answeredOnTime: 0,
      pending: 0,
      overdue: 0,
      onTimeRate: null,
    };
    departments.set(r.orgId, d);
    d.requests++;
    if (clock.answeredAt) d.answered++;
    if (clock.state === 'answered_on_time') d.answeredOnTime++;
    if (!r.answeredAt && !r.stoppedAt) d.pending++;
    if (clock.state === 'overdue') {
      d.overdue++;
      overdue.push({
        id: r.id,
        title: r.title,
        resourceCode: r.resourceCode,
        resourceName: r.resourceName,
        providerId: r.orgId,
        providerName: r.orgName,
        consumerOrgId: r.consumerOrgId,
        consumerName: r.consumerName,
        dueDate: clock.dueDate,
        dueAt: clock.dueAt,
        overdueWorkingDays: -clock.remainingWorkingDays || 0,
        escalated: escalated.has(r.id),
      });
    }
  }
  for (const d of departments.values()) {
    const counted = d.answered + d.overdue;
    d.onTimeRate = counted === 0 ? null : Math.round((d.answeredOnTime / counted) * 1000) / 1000;
  }
  return { step, asOf: now.toISOString(), departments: [...departments.values()], overdue, provisional };
}
