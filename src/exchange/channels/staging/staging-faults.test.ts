// The staging-database channel's faults against the machine's real PostgreSQL and MariaDB: a
// batch killed mid-way, a conflicting table, the outbound policy, unreachable and refused logins.
import { describe, expect, it } from 'vitest';
import { testOutbound } from '../../../../test/support/services.js';
import { admin, type Change, stagingBatch, useStagingDatabase } from '../../../../test/support/staging.js';
import { createOutboundPolicy } from '../../../net/index.js';
import { ChannelError } from '../types.js';
import { readStagingPosition, stagingDriver } from './index.js';

describe.each(['postgres', 'mysql'] as const)('staging channel faults, %s', (dialect) => {
  const stg = useStagingDatabase(dialect);

  it('applies a batch whole or not at all: a connection killed mid-batch leaves nothing, the retry all', async (t) => {
    if (!stg.available) return t.skip();
    const cfg = stg.config({ table: 'atomic' });
    const driver = stagingDriver({ policy: testOutbound, config: cfg });
    const locker = await admin(dialect, stg.name);
    try {
      await driver.deliver(
        stagingBatch(
          'sub-10',
          [1, 2, 3].map((id) => ['insert', id] as Change),
          true,
        ),
      );
      await driver.deliver(stagingBatch('sub-10', [['update', 1, { name: 'keyed now' }]]));
      const before = await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-10');
      // Another session holds row 3: the batch upserts 4 and 2, then waits to delete 3 …
      await locker.exec(dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
      // (By its key: InnoDB would lock every row a scan passes.)
      await locker.exec(`SELECT id FROM atomic WHERE huitong_key_id = 'k00000003' FOR UPDATE`);
      const change = stagingBatch('sub-10', [
        ['insert', 4],
        ['update', 2, { name: 'two' }],
        ['delete', 3],
      ]);
      const pending = driver.deliver(change).catch((e) => e);
      // … and is killed while it waits.
      const waiting =
        dialect === 'postgres'
          ? `SELECT pid AS id FROM pg_stat_activity WHERE datname = '${stg.name}' AND application_name = 'huitong-staging' AND wait_event_type = 'Lock'`
          : `SELECT id FROM information_schema.processlist WHERE db = '${stg.name}' AND info LIKE 'DELETE FROM%'`;
      let victims: { id: number }[] = [];
      for (let i = 0; i < 100 && !victims.length; i++) {
        victims = (await stg.db.exec(waiting)) as { id: number }[];
        if (!victims.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(victims).toHaveLength(1);
      await stg.db.exec(
        dialect === 'postgres'
          ? `SELECT pg_terminate_backend(${Number(victims[0]?.id)})`
          : `KILL ${Number(victims[0]?.id)}`,
      );
      expect(await pending).toMatchObject({ code: 'staging_unreachable', retryable: true });
      await locker.exec('ROLLBACK');
      expect((await stg.rows('atomic')).map((r) => [Number(r.id), r.name])).toEqual([
        [1, 'keyed now'],
        [2, 'person 2'],
        [3, 'person 3'],
      ]);
      expect(await readStagingPosition({ policy: testOutbound, config: cfg }, 'sub-10')).toEqual(before);
      // The retry (same events) applies all of it.
      await driver.deliver(change);
      expect((await stg.rows('atomic')).map((r) => [Number(r.id), r.name])).toEqual([
        [1, 'keyed now'],
        [2, 'two'],
        [4, 'person 4'],
      ]);
    } finally {
      await locker.end();
      await driver.close();
    }
  });

  it('refuses a table of that name with other columns (not retryable) and writes nothing', async (t) => {
    if (!stg.available) return t.skip();
    await stg.db.exec('CREATE TABLE theirs (id BIGINT PRIMARY KEY, note TEXT)');
    await stg.db.exec(`INSERT INTO theirs VALUES (1, 'keep me')`);
    const driver = stagingDriver({ policy: testOutbound, config: stg.config({ table: 'theirs' }) });
    try {
      const error = await driver.deliver(stagingBatch('sub-3', [['insert', 1]], true)).catch((e) => e);
      expect(error).toBeInstanceOf(ChannelError);
      expect(error).toMatchObject({ code: 'staging_table_conflict', retryable: false });
      expect(await stg.db.exec('SELECT note FROM theirs')).toEqual([{ note: 'keep me' }]);
      // The same columns keyed on another column are not ours either: the upserts need their key.
      await stg.db.exec(
        dialect === 'postgres'
          ? `CREATE TABLE alike (huitong_key_id text, id bigint PRIMARY KEY, name text, born date, income numeric,
              score double precision, active boolean, seen_at timestamptz, extra jsonb, id_card text)`
          : `CREATE TABLE alike (huitong_key_id varchar(255), id bigint PRIMARY KEY, name longtext, born date,
              income decimal(65,30), score double, active boolean, seen_at datetime(6), extra json, id_card longtext)`,
      );
      const alike = stagingDriver({ policy: testOutbound, config: stg.config({ table: 'alike' }) });
      await expect(alike.deliver(stagingBatch('sub-3b', [['insert', 1]], true))).rejects.toMatchObject({
        code: 'staging_table_conflict',
        retryable: false,
        message: expect.stringContaining('primary key (id)'),
      });
      await alike.close();
    } finally {
      await driver.close();
    }
  });

  it('is refused by the outbound policy when loopback is not allowed (not retryable)', async (t) => {
    if (!stg.available) return t.skip();
    const driver = stagingDriver({
      policy: createOutboundPolicy({ allow: [] }),
      config: stg.config({ table: 'never' }),
    });
    try {
      const error = await driver.deliver(stagingBatch('sub-5', [['insert', 1]])).catch((e) => e);
      expect(error).toMatchObject({ code: 'staging_destination_not_allowed', retryable: false });
    } finally {
      await driver.close();
    }
  });

  it('reports a closed port as unreachable and a wrong password as an auth failure (both retryable)', async (t) => {
    if (!stg.available) return t.skip();
    const closed = stagingDriver({ policy: testOutbound, config: stg.config({ port: 1 }) });
    await expect(closed.deliver(stagingBatch('sub-6', [['insert', 1]]))).rejects.toMatchObject({
      code: 'staging_unreachable',
      retryable: true,
    });
    await closed.close();
    // The machine's PostgreSQL trusts local connections; MariaDB checks root's password.
    if (dialect === 'mysql') {
      const wrong = stagingDriver({
        policy: testOutbound,
        config: stg.config({ password: 'not-the-password' }),
      });
      await expect(wrong.deliver(stagingBatch('sub-6', [['insert', 1]]))).rejects.toMatchObject({
        code: 'staging_auth_failed',
        retryable: true,
      });
      await wrong.close();
    }
  });
});
