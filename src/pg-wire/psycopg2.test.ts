import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GULOU, type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { describeEachStore } from '../../test/support/store.js';
import { toolAvailable } from '../../test/support/tools.js';

// Debian's psycopg2 under Debian's python (the PATH's python3 may be another without it), run
// asynchronously: the listener answers from this process. Skips without it (fails in CI).
const installed = await toolAvailable('psycopg2');
const PROBE = new URL('../../test/pg-wire/psycopg2-probe.py', import.meta.url).pathname;

describe.skipIf(!installed)('psycopg2 installed', () =>
  describeEachStore('PostgreSQL wire protocol: psycopg2', (kind) => {
    let world: WireWorld;
    beforeAll(async () => {
      world = await wireWorld(kind);
    }, 180_000);
    afterAll(() => world?.close());
    const table = (code: string) => `${world.schema}.r_${code.split('-')[0]}_${code.split('-').at(-1)}`;

    it('lists the granted tables and their columns, reads with a parameter (masked, filtered), refuses the rest', async () => {
      const { stdout } = await promisify(execFile)(
        '/usr/bin/python3',
        [PROBE, table(world.people), table(world.secret)],
        {
          env: {
            ...process.env,
            PGHOST: '127.0.0.1',
            PGPORT: String(world.wire.port),
            PGUSER: world.user,
            PGPASSWORD: world.key,
          },
          encoding: 'utf8',
        },
      );
      const out = JSON.parse(stdout);
      const byName = (a: string, b: string) => a.split('.')[1]!.localeCompare(b.split('.')[1]!);
      expect(out.tables).toEqual([table(world.people), table(world.districts)].sort(byName));
      expect(out.columns.map((c: string[]) => c[0])).toEqual(['xm', 'sfzh', 'qh', 'nl']);
      expect(out.description).toEqual(['xm', 'sfzh', 'qh', 'nl']);
      const expected = GULOU.filter((p) => p.nl > 50);
      expect(out.rows.map((r: unknown[]) => r[3])).toEqual(expected.map((p) => p.nl));
      expect(out.rows.every((r: unknown[]) => r[2] === '鼓楼区')).toBe(true);
      expect(out.rows.some((r: unknown[]) => expected.some((p) => p.sfzh === r[1] || p.xm === r[0]))).toBe(
        false,
      );
      expect(out.ungranted).toBe('42P01');
      expect(out.delete).toBe('25006');
    });
  }),
);
