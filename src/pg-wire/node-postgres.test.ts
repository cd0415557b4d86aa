import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectWireRefusal } from '../../test/pg-wire/refusals.js';
import { GULOU, type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { until } from '../../test/support/poll.js';
import { describeEachStore } from '../../test/support/store.js';
import { createApiKey, revokeApiKey } from '../identity/index.js';

describeEachStore('PostgreSQL wire protocol: node-postgres', (kind) => {
  let world: WireWorld;
  const client = async (password = world.key) => {
    const c = new pg.Client({
      host: '127.0.0.1',
      port: world.wire.port,
      user: world.user,
      password,
      database: 'huitong',
    });
    // A FATAL error ends the connection: the client reports it as an event as well.
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  const people = () => `${world.schema}.r_${world.people.split('-')[0]}_${world.people.split('-').at(-1)}`;
  // The release entries of this listener: starts, and completes pointing at them.
  const releases = async () => {
    const { items } = await world.server.audit.entries({}, { limit: 1000 });
    const starts = items.filter((e) => e.type === 'data.release.start' && e.data.format === 'pgwire');
    const completes = items.filter(
      (e) => e.type === 'data.release.complete' && starts.some((s) => s.requestId === e.requestId),
    );
    return { starts, completes };
  };
  beforeAll(async () => {
    world = await wireWorld(kind);
  }, 180_000);
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

  it('binds a parameter ($1) through the extended protocol, the row filter and masks still holding', async () => {
    const c = await client();
    try {
      const result = await c.query(
        `SELECT xm, sfzh, qh, nl FROM ${people()} WHERE nl > $1 ORDER BY nl`,
        [50],
      );
      const expected = GULOU.filter((p) => p.nl > 50);
      expect(result.rows.map((r) => Number(r.nl))).toEqual(expected.map((p) => p.nl));
      expect(result.rows.every((r) => r.qh === '鼓楼区')).toBe(true);
      expect(result.rows.some((r) => expected.some((p) => p.sfzh === r.sfzh))).toBe(false);
      const named = await c.query({
        text: `SELECT count(*) AS n FROM ${people()} WHERE qh = $1`,
        values: ['朝阳区'],
      });
      expect(Number(named.rows[0].n)).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('reads in batches with pg-cursor (a portal with a row limit)', async () => {
    const c = await client();
    try {
      const cursor = c.query(new Cursor(`SELECT xm, nl FROM ${people()} ORDER BY nl`));
      const sizes: number[] = [];
      const ages: number[] = [];
      for (;;) {
        const rows = await cursor.read(6);
        if (rows.length === 0) break;
        sizes.push(rows.length);
        ages.push(...rows.map((r) => Number(r.nl)));
      }
      await cursor.close();
      expect(sizes).toEqual([6, 6, 6, 2]);
      expect(ages).toEqual(GULOU.map((p) => p.nl));
    } finally {
      await c.end();
    }
  });

  it('writes a release start and complete for every query that reads a resource, none for the catalog', async () => {
    const before = await releases();
    const c = await client();
    try {
      await c.query(`SELECT xm FROM ${people()} LIMIT 3`);
      await c.query(`SELECT nl FROM ${people()} WHERE nl > $1`, [30]);
      await c.query("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE 'p_%'");
      await expect(c.query(`SELECT * FROM ${world.schema}.r_nothing_here`)).rejects.toMatchObject({
        code: '42P01',
      });
    } finally {
      await c.end();
    }
    const after = await until('two more releases, completed', async () => {
      const now = await releases();
      return now.completes.length === before.completes.length + 2 && now;
    });
    expect(after.starts.length).toBe(before.starts.length + 2);
    const fresh = after.starts.filter((s) => !before.starts.some((b) => b.index === s.index));
    expect(fresh.map((s) => s.data.query)).toEqual([
      expect.stringMatching(/LIMIT 3/),
      expect.stringMatching(/nl > /),
    ]);
  });

  it('answers a wrong key with 28P01, and audits the failure and the login as the HTTP login does', async () => {
    await expect(client('ht_not-the-key')).rejects.toMatchObject({ code: '28P01' });
    (await client()).end();
    const { items } = await world.server.audit.entries({}, { limit: 1000 });
    const logins = items.filter((e) => e.type.startsWith('auth.') && e.data.via === 'pgwire');
    expect(logins.map((e) => e.type)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login']));
    expect(logins.find((e) => e.type === 'auth.login_failed')?.data.username).toBe(world.user);
    expect(logins.find((e) => e.type === 'auth.login')?.actor).toMatchObject({
      kind: 'application',
      id: expect.stringContaining(world.applicationId),
    });
  });

  it('answers catalog queries without the engine: its settings, its own functions and size-building ones refused, a long one stopped', async () => {
    const c = await client();
    try {
      // The connection's settings, as PostgreSQL names them, never the engine's paths or limits.
      const { rows } = await c.query("SELECT current_setting('server_version') AS v");
      expect(rows).toEqual([{ v: '16.0' }]);
      const settings = await c.query('SELECT name, setting FROM pg_catalog.pg_settings');
      expect(JSON.stringify(settings.rows)).not.toMatch(/\/(root|work|tmp|home)\b/);
      await expect(c.query("SELECT current_setting('temp_directory')")).rejects.toThrow(/unrecognized/);
      for (const sql of [
        // (What names no catalog goes to the query pipeline, whose own policy refuses these.)
        'SELECT * FROM pg_catalog.pg_namespace, duckdb_settings()',
        "SELECT getvariable('x')",
        "SELECT length(repeat('x', 2000000000))",
        'SELECT count(*) FROM pg_catalog.pg_namespace, range(10000000000)',
        'SELECT count(*) FROM pg_catalog.pg_namespace, generate_series(1, 100000000000)',
        "SELECT lpad('x', 1000000000)",
      ])
        await expect(c.query(sql), sql).rejects.toMatchObject({ code: '42883' });
      // The catalog holds no rows: a statement reading it and a resource is refused, not answered empty.
      await expect(c.query(`SELECT current_user AS u, * FROM ${people()}`)).rejects.toMatchObject({
        code: '0A000',
      });
      // A cross join of the catalog's tables is stopped (57014), and the connection serves on.
      const big = 'pg_catalog.pg_attribute';
      await expect(
        c.query(`SELECT count(*) FROM ${big} a, ${big} b, ${big} c, ${big} d, ${big} e, ${big} f`),
      ).rejects.toMatchObject({ code: '57014' });
      expect((await c.query('SELECT 1 AS one')).rows.length).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('refuses an answer the sandbox mode holds for the steward’s review (0A000, held_for_review)', async () => {
    // 可用不可见: the secret table granted for sandbox use, unmasked; a maximum of ID numbers per
    // district is what the release checks hold for the provider's steward.
    await world.grant(
      world.secret,
      ['姓名', '身份证号', '区划', '年龄'],
      {
        items: ['姓名', '身份证号', '区划', '年龄'].map((name) => ({ name, mask: { kind: 'none' } })),
      },
      'sandbox',
    );
    const secret = `${world.schema}.r_${world.secret.split('-')[0]}_${world.secret.split('-').at(-1)}`;
    const c = await client();
    try {
      await expectWireRefusal(
        c.query(`SELECT qh, max(sfzh) AS m FROM ${secret} GROUP BY qh`),
        '0A000',
        'held_for_review',
      );
      // Nothing of the held rows reached the client, and the connection still serves.
      expect(String((await c.query('SELECT 1 AS one')).rows[0].one)).toBe('1');
    } finally {
      await c.end();
    }
    // The provider's steward finds the held answer to review.
    const reviews = await world.server.store.db.selectFrom('release_reviews').select('id').execute();
    expect(reviews.length).toBe(1);
  });

  it('refuses a key revoked while its connection is open, on the next query (28000, the connection ends)', async () => {
    const second = await createApiKey(world.server.store.db, {
      applicationId: world.applicationId,
      name: 'second key',
      roles: ['analyst'],
    });
    const c = await client(second.key);
    try {
      expect((await c.query(`SELECT count(*) AS n FROM ${people()}`)).rows[0].n).toBeDefined();
      await revokeApiKey(world.server.store.db, second.apiKey.id);
      await expect(c.query(`SELECT count(*) AS n FROM ${people()}`)).rejects.toMatchObject({ code: '28000' });
      await expect(c.query('SELECT 1')).rejects.toThrow();
    } finally {
      await c.end().catch(() => undefined);
    }
    // The first key of the application still reads.
    const other = await client();
    try {
      expect((await other.query(`SELECT count(*) AS n FROM ${people()}`)).rows.length).toBe(1);
    } finally {
      await other.end();
    }
  });
});
