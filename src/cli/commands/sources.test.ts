import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { huitongCommand } from '../../../test/support/cli-bundle.js';
import { serviceAvailable } from '../../../test/support/services.js';

const run = promisify(execFile);
const postgresUp = await serviceAvailable('postgres');

/** Runs the CLI (the test run's bundle of src/cli/main.ts); resolves with exit code and output. */
async function huitong(args: string[], env: Record<string, string>) {
  const cli = huitongCommand();
  try {
    const { stdout, stderr } = await run(cli.command, [...cli.args, ...args], {
      env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', ...env },
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each command opens the embedded store in a process of its own: seconds apiece.
describe('huitong source', { timeout: 400_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitong-cli-src-'));
  const env = { HUITONG_DATA_DIR: dir, HUITONG_SOURCE_CONNECT_TIMEOUT_MS: '2000' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a GBK file, describes it, and tests sources by name', async () => {
    const org = await huitong(
      [
        'org',
        'create',
        '--name',
        '测试局',
        '--kind',
        'department',
        '--level',
        'provincial',
        '--region',
        '350000',
      ],
      env,
    );
    expect(org.code, org.stderr).toBe(0);
    const file = join(dir, '人口.csv');
    writeFileSync(file, iconv.encode('姓名,年龄\n张三,34\n李四,41\n', 'gbk'));
    const added = await huitong(
      ['source', 'add', '--org', '测试局', '--kind', 'file', '--file', file, '--encoding', 'gbk'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/imported 人口 .*: 2 rows/);
    expect(added.stdout).toMatch(/年龄\tinteger/);
    const described = await huitong(['source', 'describe', '人口'], env);
    expect(described.stdout).toContain('data (file, ~2 rows)');

    const down = await huitong(
      [
        'source',
        'add',
        '--org',
        '测试局',
        '--name',
        'down',
        '--kind',
        'postgres',
        '--host',
        '127.0.0.1',
        '--port',
        '1',
        '--database',
        'x',
        '--user',
        'u',
        '--password',
        'secret-pw',
      ],
      env,
    );
    expect(down.code, down.stderr).toBe(0);
    const test = await huitong(['source', 'test', 'down'], env);
    expect(test.code).toBe(1);
    expect(test.stderr).toMatch(/^huitong: error: .*\(source_unreachable\)/);
    expect(test.stderr + test.stdout).not.toContain('secret-pw');

    // Both registrations are in the audit log, as the API's are, and no credential is.
    const exported = join(dir, 'audit.ndjson');
    expect((await huitong(['audit', 'export', '--out', exported], env)).code).toBe(0);
    const log = readFileSync(exported, 'utf8');
    const created = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.kind === 'entry' && line.entry.type === 'source.created')
      .map((line) => line.entry.data);
    expect(created).toEqual([
      expect.objectContaining({ name: '人口', kind: 'file', format: 'csv', rowCount: 2, via: 'cli' }),
      expect.objectContaining({ name: 'down', kind: 'postgres', hasPassword: true, via: 'cli' }),
    ]);
    expect(log).not.toContain('secret-pw');
  });

  it.skipIf(!postgresUp)('registers and describes a PostgreSQL source', async () => {
    const added = await huitong(
      [
        'source',
        'add',
        '--org',
        '测试局',
        '--name',
        'pg',
        '--kind',
        'postgres',
        '--host',
        '127.0.0.1',
        '--database',
        'test',
        '--user',
        'postgres',
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const test = await huitong(['source', 'test', 'pg'], env);
    expect(test.stdout, test.stderr).toMatch(/PostgreSQL/);
    const described = await huitong(['source', 'describe', 'pg', '--schema', 'information_schema'], env);
    expect(described.code, described.stderr).toBe(0);
  });
});
