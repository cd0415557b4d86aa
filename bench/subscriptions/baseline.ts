// The baseline of bench/subscriptions: the same changes read straight from PostgreSQL's replication
// stream (pgoutput, a publication and a slot of its own, pg-logical-replication as the platform's
// capture uses it), decoded and nothing more: no enforcement, no event store, no channel.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
import { SERVICES } from '../../test/support/services.js';

/** A raw reader of one table's changes. */
export interface RawReader {
  stop(): Promise<void>;
}

const open = new Set<RawReader>();

/** Stops the readers still open (a run that failed), dropping their slots. */
export async function stopReaders(): Promise<void> {
  for (const reader of open) await reader.stop().catch((e) => console.error(`baseline reader: ${e}`));
}

/** Streams `schema.table`'s changes from a new slot, calling `onRow` with each decoded insert's row. */
export async function rawReader(
  pgc: pg.Client,
  schema: string,
  table: string,
  onRow: (row: Record<string, unknown>) => void,
): Promise<RawReader> {
  const name = `bench_raw_${randomBytes(4).toString('hex')}`;
  await pgc.query(`CREATE PUBLICATION ${name} FOR TABLE ${schema}.${table}`);
  await pgc.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [name]);
  const service = new LogicalReplicationService(
    { connectionString: SERVICES.postgres.url },
    { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
  );
  let last = '0/0';
  service.on('data', async (_lsn: string, message: Pgoutput.Message) => {
    if (message.tag === 'insert') onRow(message.new);
    else if (message.tag === 'commit' && message.commitEndLsn) {
      last = message.commitEndLsn;
      await service.acknowledge(last);
    }
  });
  // Answer the server's keepalives, or it ends the connection after wal_sender_timeout.
  service.on('heartbeat', async (_lsn: string, _t: number, shouldRespond: boolean) => {
    if (shouldRespond) await service.acknowledge(last).catch(() => undefined);
  });
  service.on('error', (e: Error) => console.error(`baseline reader: ${e.message}`));
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [name] });
  const running = service.subscribe(plugin, name).catch(() => undefined);
  const reader: RawReader = {
    async stop() {
      if (!open.delete(reader)) return;
      await service.destroy();
      await running;
      await pgc.query('SELECT pg_drop_replication_slot($1)', [name]).catch(async () => {
        await new Promise((r) => setTimeout(r, 500));
        await pgc.query('SELECT pg_drop_replication_slot($1)', [name]);
      });
      await pgc.query(`DROP PUBLICATION ${name}`);
    },
  };
  open.add(reader);
  return reader;
}
