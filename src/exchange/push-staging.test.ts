import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { bearer, openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable, testOutbound } from '../../test/support/services.js';
import { makeIdNumber } from '../../test/support/source-data.js';
import { mariadbTarget, postgresTarget, type StagingTarget } from '../../test/support/staging-targets.js';
import { authenticateApiKey } from '../identity/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { type ChannelDrivers, channelDrivers } from './channels/drivers.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const pgUp = await serviceAvailable('postgres');
const mariaUp = pgUp && (await serviceAvailable('mariadb'));
// A loaded machine (two cores, several suites) may take over a minute to open the store.
const SETUP_MS = 180_000;
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

/** A resident ID number as the grant's mask shows it: region and the last four kept. */
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

const targets: Array<[string, boolean, () => Promise<StagingTarget>]> = [
  ['PostgreSQL', pgUp, postgresTarget],
  ['MariaDB', mariaUp, mariadbTarget],
];

describe.skipIf(!pgUp)(
  'push delivery into a staging database (前置库): the table the grant allows, kept in step',
  () => {
    let server: TestServer;
    let loop: DeliveryLoop;
    let drivers: ChannelDrivers;
    let dispatcher: Dispatcher;
    const errors: unknown[] = [];

    beforeAll(async () => {
      server = await openTestServer('pglite');
      loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
      drivers = channelDrivers({
        outbound: testOutbound,
        openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
      });
      dispatcher = startDispatcher(server.query, {
        driverFor: drivers.driverFor,
        tickMs: 100,
        random: () => 0,
        onError: (_, e) => errors.push(e),
      });
    }, SETUP_MS);

    afterAll(async () => {
      await dispatcher?.stop();
      await drivers?.close();
      await loop?.stop();
      await server?.close();
    }, SETUP_MS);

    for (const [label, available, open] of targets)
      it.skipIf(!available)(
        `${label}: creates the table, loads the snapshot, applies the changes with the position, refuses a conflicting table, stops at revocation, never shows the password`,
        async () => {
          errors.length = 0;
          const world = await capturedPeople(server, 6, [{ item: '区划', op: 'eq', value: '350102' }]);
          const { pg, steward, code, grantId } = world;
          const target = await open();
          const actor = await authenticateApiKey(server.store.db, world.consumerKey.key);
          const ids: string[] = [];
          onTestFinished(async () => {
            for (const id of ids) await deleteSubscription(server.query, actor, id);
            await pg.drop();
            await target.drop();
          });
          const s = pg.schema;
          const view = (id: string) => getSubscription(server.store.db, actor, id);
          const sfzhOf = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.sfzh)).sort();
          const sorted = (rows: Record<string, unknown>[]) =>
            [...rows].sort((a, b) => String(a.sfzh).localeCompare(String(b.sfzh)));

          // The consumer's own table of the chosen name, made for something else.
          await target.exec('CREATE TABLE people_mine (id integer, other text)');
          await target.exec(`INSERT INTO people_mine VALUES (1, 'kept')`);

          const created = await createSubscription(
            server.query,
            actor,
            { resourceCode: code, channel: target.channel('people_stg') },
            subscriptionOptions,
          );
          ids.push(created.id);
          const conflicting = await createSubscription(
            server.query,
            actor,
            { resourceCode: code, channel: target.channel('people_mine') },
            subscriptionOptions,
          );
          ids.push(conflicting.id);

          // The table appears with the granted columns (the masked ID number as text) and the snapshot.
          const snapshot = await until('snapshot in the table', async () => {
            const rows = await target.rows('people_stg');
            return rows.length >= 3 && rows;
          });
          expect(snapshot).toHaveLength(3);
          const text = target.dialect === 'postgres' ? 'text' : 'longtext';
          expect(await target.columns('people_stg')).toEqual([
            { name: 'huitong_key_id', type: target.dialect === 'postgres' ? 'text' : 'varchar' },
            { name: 'xm', type: text },
            { name: 'sfzh', type: text },
            { name: 'qh', type: text },
          ]);
          for (const r of snapshot) {
            expect(r.qh).toBe('350102');
            expect(String(r.sfzh)).toMatch(ID_MASK);
            expect(Object.keys(r).sort()).toEqual(['huitong_key_id', 'qh', 'sfzh', 'xm']);
          }
          expect(sfzhOf(snapshot)).toEqual(
            [0, 2, 4].map((i) => masked(makeIdNumber('350102', `1980010${i + 1}`, i + 1))).sort(),
          );

          // The conflicting table: paused with the code, nothing written into it nor recorded for it.
          const refused = await until('conflict paused', async () => {
            const v = await view(conflicting.id);
            return v.status === 'paused' && v;
          });
          expect(refused.reason).toBe('staging_table_conflict');
          expect(await target.rows('people_mine')).toEqual([{ id: 1, other: 'kept' }]);
          expect(await target.position(conflicting.id)).toBeNull();

          // Inside the filter: an insert; outside: nothing. 张明 leaves the filter, 李华 enters it,
          // 王明 (renamed 孔明) changes inside it, 陈明 is deleted.
          const zhao = makeIdNumber('350102', '19900101', 99);
          await pg.client.query(
            `INSERT INTO ${s}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
            [zhao],
          );
          await pg.client.query(
            `INSERT INTO ${s}.people VALUES ('钱外', $1, '13800009998', '6222', '良好', '110105')`,
            [makeIdNumber('110105', '19900101', 98)],
          );
          await pg.client.query(`UPDATE ${s}.people SET qh = '110105' WHERE xm = '张明'`);
          await pg.client.query(`UPDATE ${s}.people SET qh = '350102' WHERE xm = '李华'`);
          await pg.client.query(`UPDATE ${s}.people SET xm = '孔明' WHERE xm = '王明'`);
          await pg.client.query(`DELETE FROM ${s}.people WHERE xm = '陈明'`);
          const expected = [
            masked(makeIdNumber('110105', '19800102', 2)),
            masked(makeIdNumber('350102', '19800103', 3)),
            masked(zhao),
          ].sort();
          const after = await until('changes in the table', async () => {
            const v = await view(created.id);
            const rows = await target.rows('people_stg');
            return v.delivery.lag === 0 && JSON.stringify(sfzhOf(rows)) === JSON.stringify(expected) && rows;
          });
          for (const r of after) expect(r.qh).toBe('350102');
          const renamed = after.find((r) => String(r.sfzh) === masked(makeIdNumber('350102', '19800103', 3)));
          // The name is masked to its surname: the update shows as the new surname.
          expect(snapshot.find((r) => r.sfzh === renamed?.sfzh)?.xm).toBe('王*');
          expect(renamed?.xm).toBe('孔*');

          // The position in the staging database is the subscription's delivered position.
          const delivered = await view(created.id);
          expect(delivered.delivery.deliveredSeq).toBeGreaterThan(3);
          expect(await target.position(created.id)).toBe(delivered.delivery.deliveredSeq);

          // The password is sealed: not in the API's view, not in the stored channel.
          const shown = await server.app.inject({
            method: 'GET',
            url: `/api/v1/subscriptions/${created.id}`,
            headers: bearer(world.consumerKey.key).headers,
          });
          expect(shown.statusCode, shown.body).toBe(200);
          expect(shown.body).not.toContain(target.password);
          expect(shown.json().channel).not.toHaveProperty('password');
          expect(shown.json().channel).toMatchObject({ kind: 'staging', table: 'people_stg' });
          const stored = await server.store.db
            .selectFrom('subscriptions')
            .select(['channel', 'channel_secret'])
            .where('id', '=', created.id)
            .executeTakeFirstOrThrow();
          expect(JSON.stringify(stored.channel)).not.toContain(target.password);
          expect(stored.channel_secret).toBeTruthy();
          expect(String(stored.channel_secret)).not.toContain(target.password);

          // Revoked: the subscription pauses with the code, and the table stays as it was.
          const revoked = await server.app.inject({
            method: 'POST',
            url: `/api/v1/grants/${grantId}/revoke`,
            headers: steward.headers,
            payload: { reason: '用途已结束' },
          });
          expect(revoked.statusCode, revoked.body).toBe(200);
          await pg.client.query(`UPDATE ${s}.people SET xm = '赵再' WHERE xm = '赵新'`);
          const paused = await until('paused', async () => {
            const v = await view(created.id);
            return v.status === 'paused' && v;
          });
          expect(paused.reason).toBe('grant_revoked');
          await dispatcher.tick();
          expect(sorted(await target.rows('people_stg'))).toEqual(sorted(after));
          expect(await target.position(created.id)).toBe(delivered.delivery.deliveredSeq);
          expect(
            errors.map((e) => `${String(e)} ${JSON.stringify((e as { details?: unknown }).details)}`),
          ).toEqual([]);
        },
        SETUP_MS,
      );
  },
);
