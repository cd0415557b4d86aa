import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { describeEachStore } from '../../test/support/store.js';

// Debian's psql (postgresql-client) against the listener: asynchronous, since the listener runs in
// this process and a synchronous child would stop it from answering.
describeEachStore('PostgreSQL wire protocol: psql', (kind) => {
  let world: WireWorld;
  beforeAll(async () => {
    world = await wireWorld(kind);
  }, 60_000);
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

  it('exports with COPY (SELECT …) TO STDOUT through the pipeline, and refuses an ungranted name', async () => {
    const out = await psql(
      `COPY (SELECT * FROM ${world.schema}.${table(world.districts)} ORDER BY rk) TO STDOUT`,
    );
    expect(out).toBe('鼓楼区\t687000\n朝阳区\t3450000\n');
    await expect(psql(`SELECT * FROM ${world.schema}.${table(world.secret)}`)).rejects.toThrow(/ERROR/);
  });
});
