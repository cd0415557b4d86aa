import { createReadStream } from 'node:fs';
import { NotFoundError } from '../../errors/index.js';
import { type Caller, type Column, type QueryContext, releaseStoredExport } from '../../query/index.js';
import { ownSchedule, parseJson } from './rows.js';

const MEDIA: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

/**
 * A file run's export, downloaded: released again to the caller through query/ (the caller's
 * grant decided afresh and still covering the file's columns as released, the quota charged,
 * a release entry of its own). 404 `schedule_run_not_found` for a run without a file.
 */
export async function downloadRunFile(
  ctx: QueryContext,
  caller: Caller,
  scheduleId: string,
  runId: string,
): Promise<{ contentType: string; filename: string; body: AsyncIterable<Buffer> }> {
  const schedule = await ownSchedule(ctx.store.db, caller.actor, scheduleId);
  const run = await ctx.store.db
    .selectFrom('delivery_schedule_runs')
    .selectAll()
    .where('id', '=', runId)
    .where('schedule_id', '=', scheduleId)
    .executeTakeFirst();
  if (run?.status !== 'succeeded' || !run.file_path)
    throw new NotFoundError('Delivery run file', 'schedule_run_not_found');
  const format = run.file_path.slice(run.file_path.lastIndexOf('.') + 1);
  const path = run.file_path;
  const body = await releaseStoredExport(
    ctx,
    caller,
    {
      resourceCode: schedule.resource_code,
      format,
      columns: parseJson<Column[]>(run.columns) ?? [],
      rows: Number(run.rows ?? 0),
      description: `delivery-schedule ${scheduleId} run ${runId}`,
    },
    () => createReadStream(path),
  );
  return {
    contentType: MEDIA[format] ?? 'application/octet-stream',
    filename: `${schedule.resource_code}-${run.started_at instanceof Date ? run.started_at.toISOString().slice(0, 10) : 'export'}.${format}`,
    body,
  };
}
