import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import { type Actor, authorize, getOrganization, isAllowed } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { requestClock } from './clock.js';
import { loadRules } from './rules.js';
import type { SlaQuery, SlaReport } from './schemas.js';

type Db = Kysely<Database>;
type Department = SlaReport['departments'][number];

/**
 * On-time rate per providing department and the requests overdue now. The platform
 * administrator and the auditor see every department; an organisation's administrator or
 * security officer only its own (another's is a 404). Withdrawn requests count nowhere.
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
  let select = db
    .selectFrom('access_requests as r')
    .innerJoin('organizations as p', 'p.id', 'r.provider_id')
    .innerJoin('organizations as c', 'c.id', 'r.consumer_org_id')
    .select([
      'r.id',
      'r.created_at',
      'r.updated_at',
      'r.grade',
      'r.status',
      'r.provider_id',
      'r.consumer_org_id',
      'r.resource_code',
      'r.resource_name',
    ])
    .select(['p.name as provider_name', 'c.name as consumer_name'])
    .where('r.status', '!=', 'withdrawn')
    .orderBy('r.created_at');
  if (orgId) select = select.where('r.provider_id', '=', orgId);
  if (from) select = select.where('r.created_at', '>=', from);
  if (to) select = select.where('r.created_at', '<', to);
  const [rows, calendar, rules, escalations] = [
    await select.execute(),
    await loadCalendar(db),
    await loadRules(db),
    await db.selectFrom('deadline_events').select('subject_id').where('kind', '=', 'escalated').execute(),
  ];
  const escalated = new Set(escalations.map((e) => e.subject_id));
  const departments = new Map<string, Department>();
  const overdue: SlaReport['overdue'] = [];
  let provisional = false;
  for (const r of rows) {
    const clock = requestClock(
      { createdAt: r.created_at, grade: r.grade, status: r.status, updatedAt: r.updated_at },
      calendar,
      rules,
      now,
    );
    provisional ||= clock.provisional;
    const d = departments.get(r.provider_id) ?? {
      orgId: r.provider_id,
      orgName: r.provider_name,
      requests: 0,
      answered: 0,
      answeredOnTime: 0,
      pending: 0,
      overdue: 0,
      onTimeRate: null,
    };
    departments.set(r.provider_id, d);
    d.requests++;
    if (clock.answeredAt) d.answered++;
    if (clock.state === 'answered_on_time') d.answeredOnTime++;
    if (r.status === 'pending') d.pending++;
    if (clock.state === 'overdue') {
      d.overdue++;
      overdue.push({
        id: r.id,
        resourceCode: r.resource_code,
        resourceName: r.resource_name,
        providerId: r.provider_id,
        providerName: r.provider_name,
        consumerOrgId: r.consumer_org_id,
        consumerName: r.consumer_name,
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
  return { asOf: now.toISOString(), departments: [...departments.values()], overdue, provisional };
}
