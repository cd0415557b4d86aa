import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceReport } from '../../tracing/index.js';
import { formatTrace } from './trace.js';

const run = promisify(execFile);
const main = new URL('../main.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'huitong-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function huitong(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', HUITONG_DATA_DIR: join(dir, 'data') },
      timeout: 110_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('huitong trace', () => {
  it('says clearly when the file is empty, or shares nothing with a marked release', async () => {
    const empty = join(dir, 'empty.csv');
    const other = join(dir, 'other.csv');
    writeFileSync(empty, '');
    writeFileSync(other, '名称,备注\n甲,乙\n');
    // One at a time: each starts Node with tsx on two busy cores.
    const a = await huitong(['trace', empty]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/empty/i);
    const b = await huitong(['trace', other]);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/nothing to trace/);
  }, 240_000);

  it('prints the resources traced and the ranked suspects', () => {
    const report: TraceReport = {
      format: 'csv',
      encoding: 'gb18030',
      rows: 40,
      epsilon: 1e-6,
      resources: [
        {
          code: 'R-1',
          name: '资源',
          keyColumn: '编号',
          tolerantColumns: ['金额'],
          positions: 39,
          threshold: 30.2,
          candidates: 2,
        },
      ],
      suspects: [
        {
          resource: 'R-1',
          recipient: 'app:a1',
          kind: 'application',
          id: 'a1',
          name: '应用甲',
          organization: { id: 'o1', name: '单位甲' },
          keys: [{ id: 'k1', name: '对接密钥', createdBy: '张三（zhangsan）' }],
          score: 44.1,
          innocentProbability: 3e-9,
          accused: true,
          releases: [{ index: 7, time: '2026-01-01T00:00:00Z' }],
        },
      ],
    };
    const text = formatTrace(report);
    expect(text).toContain('resource R-1 资源: key 编号, tolerant 金额');
    expect(text).toMatch(
      /1\s+是 yes\s+44\.1\s+3\.0e-9\s+应用甲 \(app:a1\) 单位甲 #7 keys: 对接密钥 \(张三（zhangsan）\)/,
    );
  });
});
