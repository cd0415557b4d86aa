import type { Selectable } from 'kysely';
import type { DeliveryScheduleRunTable } from '../../store/index.js';
import { parseJson, type ScheduleRow } from './rows.js';
import type { DeliveryRunView, DeliveryScheduleView, ScheduleTargetView } from './schemas.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A schedule as the API shows it (its target without the password). */
export function presentSchedule(row: ScheduleRow): DeliveryScheduleView {
  return {
    id: row.id,
    orgId: row.org_id,
    applicationId: row.application_id,
    resourceCode: row.resource_code,
    fields: parseJson<string[] | null>(row.fields),
    filter: parseJson<unknown[]>(row.filter),
    cron: row.cron,
    timezone: row.timezone,
    target: parseJson<ScheduleTargetView>(row.target),
    status: row.status as DeliveryScheduleView['status'],
    nextRunAt: iso(row.next_run_at),
    lastRunAt: iso(row.last_run_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: iso(row.created_at) as string,
  };
}

/** One run as the API shows it (never the file's path on the server). */
export function presentRun(row: Selectable<DeliveryScheduleRunTable>): DeliveryRunView {
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    trigger: row.trigger as DeliveryRunView['trigger'],
    status: row.status as DeliveryRunView['status'],
    startedAt: iso(row.started_at) as string,
    finishedAt: iso(row.finished_at),
    rows: n(row.rows),
    bytes: n(row.bytes),
    sha256: row.sha256,
    error: row.error,
    file: row.file_path !== null && row.status === 'succeeded',
  };
}
