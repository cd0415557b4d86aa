import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { describeEachStore } from '../../test/support/store.js';
import { toolAvailable } from '../../test/support/tools.js';

// Debian's psql (postgresql-client) against the listener: asynchronous, since the listener runs in
// this process and a synchronous child would stop it from answering. Skips without psql (fails in CI).
const psqlInstalled = await toolAvailable('psql');
describe.skipIf(!psqlInstalled)('psql installed', () =>
  describeEachStore('PostgreSQL wire protocol: psql', (kind) => {
    let world: WireWorld;
    beforeAll(async () => {
      world = await wireWorld(kind);
    }, 180_000);
    afterAll(() => world?.close());
    const psql = async (command: string) =>
      (
        await promisify(execFile)(
          'psql',
          [
            '-h',
            '127.0.0.1',
            '-p',
            String(world.wire.port),
            '-U',
            world.user,
            '-d',
            'huitong',
            '-X',
            '-c',
            command,
          ],
          { env: { ...process.env, PGPASSWORD: world.key, PGSSLMODE: 'disable' }, encoding: 'utf8' },
        )
      ).stdout;
    const table = (code: string) => `r_${code.split('-')[0]}_${code.split('-').at(-1)}`;

    it('lists the granted resources with \\dt (the ungranted one is not there)', async () => {
      const out = await psql('\\dt');
      expect(out).toContain(table(world.people));
      expect(out).toContain(table(world.districts));
      expect(out).not.toContain(table(world.secret));
      expect(out).toContain(world.schema);
    });

    it("lists the providers' schemas with \\dn (not the engine's own `main`)", async () => {
      const out = await psql('\\dn');
      expect(out).toContain(world.schema);
      expect(out).not.toMatch(/^\s*main\s*\|/m);
    });

    it('describes a granted table with \\d and \\d+: its items as typed columns, the Chinese names as comments', async () => {
      const name = `${world.schema}.${table(world.people)}`;
      const out = await psql(`\\d ${name}`);
      expect(out).toContain(`Table "${name}"`);
      expect(out).toMatch(/xm\s*\|\s*text/);
      expect(out).toMatch(/nl\s*\|\s*(bigint|double precision)/);
      const plus = await psql(`\\d+ ${name}`);
      expect(plus).toContain('身份证号');
      expect(await psql('\\dt+')).toContain('人口信息');
      await expect(psql(`\\d ${world.schema}.${table(world.secret)}`)).rejects.toThrow(/Did not find/);
    });

    it('joins two granted resources (the row filter of one holding in the join)', async () => {
      const people = `${world.schema}.${table(world.people)}`;
      const districts = `${world.schema}.${table(world.districts)}`;
      const out = await psql(
        `SELECT p.qh, count(*) AS n, d.rk FROM ${people} p JOIN ${districts} d ON d.qh = p.qh GROUP BY p.qh, d.rk ORDER BY p.qh`,
      );
      expect(out).toMatch(/鼓楼区\s*\|\s*20\s*\|\s*687000/);
      expect(out).not.toContain('朝阳区');
      expect(out).toContain('(1 row)');
    });

    it('exports with COPY (SELECT …) TO STDOUT through the pipeline, and refuses an ungranted name', async () => {
      const out = await psql(
        `COPY (SELECT * FROM ${world.schema}.${table(world.districts)} ORDER BY rk) TO STDOUT`,
      );
      expect(out).toBe('鼓楼区\t687000\n朝阳区\t3450000\n');
      await expect(psql(`SELECT * FROM ${world.schema}.${table(world.secret)}`)).rejects.toThrow(/ERROR/);
    });
  }),
);
