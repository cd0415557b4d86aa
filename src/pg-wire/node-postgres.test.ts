import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GULOU, type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { describeEachStore } from '../../test/support/store.js';

describeEachStore('PostgreSQL wire protocol: node-postgres', (kind) => {
  let world: WireWorld;
  const client = async () => {
    const c = new pg.Client({
      host: '127.0.0.1',
      port: world.wire.port,
      user: world.user,
      password: world.key,
      database: 'huitong',
    });
    await c.connect();
    return c;
  };
  beforeAll(async () => {
    world = await wireWorld(kind);
  }, 60_000);
  afterAll(() => world?.close());

  it('connects with a key over SCRAM and reads a granted resource: masked, filtered, audited', async () => {
    const c = await client();
    try {
      const tables = await c.query(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'p_%' ORDER BY 2",
      );
      expect(tables.rows.length).toBe(2);
      const people = tables.rows.find((r) => r.table_name.endsWith(world.people.split('-').at(-1)!))!;
      const result = await c.query(
        `SELECT xm, sfzh, qh, nl FROM ${people.table_schema}.${people.table_name} ORDER BY nl`,
      );
      expect(result.rows.length).toBe(GULOU.length);
      expect(result.rows.every((r) => r.qh === '鼓楼区')).toBe(true);
      expect(result.rows[0].sfzh).not.toBe(GULOU[0]!.sfzh);
      const audit = await world.server.audit.entries({}, { limit: 500 });
      const start = audit.items.find((e) => e.type === 'data.release.start' && e.data.format === 'pgwire');
      expect(start?.resources).toEqual([world.people]);
      const complete = audit.items.find(
        (e) => e.type === 'data.release.complete' && e.requestId === start?.requestId,
      );
      expect(complete?.data.rows).toBe(GULOU.length);
    } finally {
      await c.end();
    }
  });
});
