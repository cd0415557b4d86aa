import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GULOU, type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { describeEachStore } from '../../test/support/store.js';
import { toolAvailable } from '../../test/support/tools.js';

// Debian's PostgreSQL JDBC driver with the machine's JDK (a single-file program, compiled at
// launch), run asynchronously: the listener answers from this process. Skips without it (fails in CI).
const installed = await toolAvailable('jdbc');
const PROBE = new URL('../../test/pg-wire/Probe.java', import.meta.url).pathname;

describe.skipIf(!installed)('JDBC installed', () =>
  describeEachStore('PostgreSQL wire protocol: JDBC', (kind) => {
    let world: WireWorld;
    beforeAll(async () => {
      world = await wireWorld(kind);
    }, 180_000);
    afterAll(() => world?.close());
    const tableOf = (code: string) => `r_${code.split('-')[0]}_${code.split('-').at(-1)}`;

    it('reads DatabaseMetaData (tables and typed columns with their comments) and a result set', async () => {
      const { stdout } = await promisify(execFile)(
        'java',
        [
          '-cp',
          '/usr/share/java/postgresql.jar',
          PROBE,
          String(world.wire.port),
          world.user,
          world.schema,
          tableOf(world.people),
        ],
        { env: { ...process.env, HUITONG_KEY: world.key }, encoding: 'utf8', timeout: 120_000 },
      );
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const tables = lines.filter((l) => l[0] === 'TABLE');
      expect(tables.map((t) => t[2]).sort()).toEqual(
        [tableOf(world.people), tableOf(world.districts)].sort(),
      );
      expect(tables.find((t) => t[2] === tableOf(world.people))?.[3]).toMatch(/^人口信息 \(/);
      const columns = lines.filter((l) => l[0] === 'COLUMN');
      expect(columns.map((c) => c.slice(1))).toEqual([
        ['xm', 'text', '姓名'],
        ['sfzh', 'text', '身份证号'],
        ['qh', 'text', '区划'],
        ['nl', expect.stringMatching(/^(int8|float8)$/), '年龄'],
      ]);
      const rows = lines.filter((l) => l[0] === 'ROW');
      const expected = GULOU.filter((p) => p.nl > 50);
      expect(rows.map((r) => Number(r[4]))).toEqual(expected.map((p) => p.nl));
      expect(rows.every((r) => r[3] === '鼓楼区')).toBe(true);
      expect(rows.some((r) => expected.some((p) => p.sfzh === r[2] || p.xm === r[1]))).toBe(false);
    });
  }),
);
