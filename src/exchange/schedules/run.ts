import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, ForbiddenError } from '../../errors/index.js';
import { type Actor, getApiKey } from '../../identity/index.js';
import type { OutboundPolicy } from '../../net/index.js';
import { type Column, deliverRows, openExchangeSecret, type QueryContext } from '../../query/index.js';
import type { StagingConfig } from '../channels/staging/index.js';
import { ChannelError } from '../channels/types.js';
import { logSchedule } from './audit.js';
import { parseJson, type ScheduleRow } from './rows.js';
import type { ScheduleTargetView } from './schemas.js';
import { replaceStagingTable } from './staging-load.js';

/** What a run needs beyond the query context: the outbound policy (staging) and where files go. */
export interface ScheduleEnvironment {
  outbound: OutboundPolicy;
  /** HUITONG_DATA_DIR: files go to <dataDir>/deliveries/<schedule>/<run>.<ext>. */
  dataDir: string;
}

/** The binding of a schedule's sealed secret. */
export const secretOwner = (scheduleId: string) => `delivery-schedule:${scheduleId}`;

/** Where a schedule's files are kept. */
export const scheduleDir = (dataDir: string, scheduleId: string) => join(dataDir, 'deliveries', scheduleId);

const EXT: Record<string, string> = { csv: 'csv', ndjson: 'ndjson', xlsx: 'xlsx', parquet: 'parquet' };

/** The stable code of a failure (never its message: a source's error can quote the data). */
function codeOf(error: unknown): string {
  if (error instanceof AppError || error instanceof ChannelError) return error.code;
  return 'internal_error';
}

interface Outcome {
  rows: number;
  bytes: number;
  sha256: string;
  filePath: string | null;
  columns: Column[];
}

/**
 * Runs one full export of a schedule THROUGH the query pipeline (`deliverRows`, as
 * GET /resources/{code}/export: the grant decided afresh, items, masks, row filters, quota, and
 * its release entry with rows, bytes and SHA-256), as the schedule's application, then writes it
 * to the target: a file under the data directory (written aside and renamed, so a failed run
 * leaves none), or the staging table replaced in one transaction. Records the run and its
 * outcome on the schedule; a failure is recorded with its code, never thrown.
 */
export async function runSchedule(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  schedule: ScheduleRow,
  trigger: 'schedule' | 'manual',
  requestId: string | null = null,
): Promise<string> {
  const db = ctx.store.db;
  const runId = randomUUID();
  const startedAt = new Date();
  await db
    .insertInto('delivery_schedule_runs')
    .values({ id: runId, schedule_id: schedule.id, trigger, started_at: startedAt, status: 'running' })
    .execute();
  let outcome: Outcome | undefined;
  let failure: string | null = null;
  try {
    outcome = await exportOnce(ctx, env, schedule, runId, requestId);
  } catch (error) {
    failure = codeOf(error);
  }
  const finishedAt = new Date();
  await db
    .updateTable('delivery_schedule_runs')
    .set({
      finished_at: finishedAt,
      status: failure ? 'failed' : 'succeeded',
      error: failure,
      ...(outcome
        ? {
            rows: outcome.rows,
            bytes: outcome.bytes,
            sha256: outcome.sha256,
            file_path: outcome.filePath,
            columns: JSON.stringify(outcome.columns),
          }
        : {}),
    })
    .where('id', '=', runId)
    .execute();
  await db
    .updateTable('delivery_schedules')
    .set({ last_run_at: startedAt, last_status: failure ? 'failed' : 'succeeded', last_error: failure })
    .where('id', '=', schedule.id)
    .execute();
  await logSchedule(
    ctx,
    'delivery_schedule.ran',
    trigger === 'manual' ? parseJson<Actor>(schedule.actor) : null,
    schedule,
    { runId, trigger, status: failure ? 'failed' : 'succeeded', error: failure, rows: outcome?.rows ?? 0 },
    requestId,
  );
  return runId;
}

async function exportOnce(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  schedule: ScheduleRow,
  runId: string,
  requestId: string | null,
): Promise<Outcome> {
  // The key that made the schedule must still be good: a revoked or expired key receives nothing more.
  const actor = parseJson<Actor>(schedule.actor);
  const keyId = (actor as { keyId?: string }).keyId;
  const key = keyId ? await getApiKey(ctx.store.db, keyId).catch(() => null) : null;
  if (key?.status !== 'active')
    throw new ForbiddenError(
      'The API key that made this schedule is no longer active',
      key?.status === 'expired' ? 'api_key_expired' : 'api_key_revoked',
    );
  const target = parseJson<ScheduleTargetView>(schedule.target);
  const fields = parseJson<string[] | null>(schedule.fields);
  const format = target.kind === 'file' ? ((target.format ?? 'csv') as 'csv') : 'ndjson';
  const caller = {
    actor,
    ip: '',
    requestId: requestId ?? `delivery-schedule:${schedule.id}:${runId}`,
  };
  const delivery = await deliverRows(ctx, caller, schedule.resource_code, {
    format,
    ...(fields ? { fields: fields.join(',') } : {}),
    filter: JSON.stringify(parseJson<unknown[]>(schedule.filter)),
  });
  if (delivery.kind !== 'stream') throw new Error('an export streams');
  const hash = createHash('sha256');
  let bytes = 0;
  const tally = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const columns = delivery.columns ?? [];
  const rows = () => delivery.rows?.() ?? 0;
  if (target.kind === 'file') {
    const dir = scheduleDir(env.dataDir, schedule.id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${runId}.${EXT[format] ?? format}`);
    const part = `${path}.part`;
    try {
      await pipeline(delivery.body, tally, createWriteStream(part, { mode: 0o600 }));
      await rename(part, path);
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
    return { rows: rows(), bytes, sha256: hash.digest('hex'), filePath: path, columns };
  }
  // Staging: the released NDJSON is held, then loaded in one transaction (a nightly copy, not a stream).
  const chunks: Buffer[] = [];
  for await (const chunk of delivery.body) {
    hash.update(chunk);
    bytes += chunk.length;
    chunks.push(chunk);
  }
  const password = schedule.secret ? openExchangeSecret(ctx, secretOwner(schedule.id), schedule.secret) : '';
  const { kind: _, format: __, ...config } = target;
  await replaceStagingTable(
    env.outbound,
    { ...(config as Omit<StagingConfig, 'password'>), password },
    {
      scheduleId: schedule.id,
      runId,
      orgId: schedule.org_id,
      applicationId: schedule.application_id,
      resourceCode: schedule.resource_code,
    },
    columns,
    Buffer.concat(chunks),
  );
  return { rows: rows(), bytes, sha256: hash.digest('hex'), filePath: null, columns };
}
