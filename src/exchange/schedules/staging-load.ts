// A full export into the consumer's staging database, through the staging channel's own writer:
// the whole export is one batch under a position id of its own (the run's), so the writer finds
// no position, empties the table and loads the rows (COPY on PostgreSQL) in ONE transaction:
// readers of the staging table see yesterday's copy or today's, never half of one.
import type { OutboundPolicy } from '../../net/index.js';
import type { Column } from '../../query/index.js';
import { type StagingConfig, stagingDriver } from '../channels/staging/index.js';
import { ChannelError } from '../channels/types.js';
import type { DeliveredEvent } from '../events.js';

/** Loads released NDJSON (one object per row) as the staging table's whole contents. */
export async function replaceStagingTable(
  policy: OutboundPolicy,
  config: StagingConfig,
  run: { scheduleId: string; runId: string; orgId: string; applicationId: string; resourceCode: string },
  columns: Column[],
  ndjson: Buffer,
): Promise<void> {
  const createdAt = new Date().toISOString();
  const events: DeliveredEvent[] = [];
  for (const line of ndjson.toString('utf8').split('\n')) {
    if (!line) continue;
    const n = events.length + 1;
    events.push({
      seq: n,
      eventId: `${run.runId}:${n}`,
      op: 'insert',
      key: {},
      // An export has no key of its own: a row is keyed by its place in the export.
      keyId: String(n).padStart(12, '0'),
      row: JSON.parse(line) as Record<string, unknown>,
      createdAt,
    });
  }
  if (!events.length)
    throw new ChannelError(
      'schedule_export_empty',
      'The export has no rows: the staging table is left as it was',
      false,
    );
  const driver = stagingDriver({ policy, config });
  try {
    await driver.deliver({
      target: {
        subscriptionId: `schedule:${run.scheduleId}:${run.runId}`,
        orgId: run.orgId,
        applicationId: run.applicationId,
        resourceCode: run.resourceCode,
      },
      events,
      columns: columns.map((c) => ({ name: c.name, type: c.type })),
      keyColumns: [],
      snapshot: true,
      body: '',
    });
  } finally {
    await driver.close();
  }
}
