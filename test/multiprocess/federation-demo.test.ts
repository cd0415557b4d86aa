import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huitongCommand } from '../support/cli-bundle.js';
import { freePort } from './server-process.js';

const run = promisify(execFile);

// Issue 17 item 8: `huitong demo --federation` starts three real nodes (国家, 福建, 浙江) on
// free ports, each with its own data directory, joins them and loads the cross-province
// scenario; `huitong demo scenario cross-province` then proves it against the running nodes:
// 福建's catalog searchable at the national node, 浙江's application reading a 福建 enterprise
// through its own node (masked), and the same SHA-256 in both nodes' audit logs.
const ports = await Promise.all([freePort(), freePort(), freePort()]).catch(() => undefined);

describe.skipIf(!ports)('huitong demo --federation: three nodes and the cross-province scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitong-fed-demo-'));
  const [national, fujian, zhejiang] = (ports ?? []).map((p) => `http://127.0.0.1:${p}`);
  let demo: ChildProcess;
  let output = '';
  let exit: Promise<number | null>;

  const scenario = (urls: string[]) => {
    const { command, args } = huitongCommand();
    const [n, f, z] = urls;
    return run(
      command,
      [...args, 'demo', 'scenario', 'cross-province', '--national', n!, '--fujian', f!, '--zhejiang', z!],
      { timeout: 60_000 },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    );
  };

  beforeAll(async () => {
    const { command, args } = huitongCommand();
    const { HUITONG_DATABASE_URL: _embedded, ...env } = process.env;
    // Its own process group, so that whatever happens the test can kill the demo and its three nodes.
    demo = spawn(
      command,
      [
        ...args,
        'demo',
        '--federation',
        '--dir',
        join(dir, 'fed'),
        '--ports',
        ports!.join(','),
        '--profile',
        'small',
      ],
      { env: { ...env, HUITONG_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    exit = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    demo.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 240_000;
    while (!output.includes('FEDERATION DEMO READY')) {
      if (demo.exitCode !== null)
        throw new Error(`the demo exited (${demo.exitCode}): ${output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`the demo did not get ready: ${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // Its progress lines (each with the seconds since it began), for a slow run's log.
    console.log(
      output
        .split('\n')
        .filter((l) => / s\)$/.test(l))
        .join('\n'),
    );
  }, 300_000);

  afterAll(() => {
    try {
      if (demo?.pid) process.kill(-demo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the three nodes, their accounts and what to try', () => {
    expect(output).toContain(`cn-100000  ${national}`);
    expect(output).toContain(`fj-350000  ${fujian}`);
    expect(output).toContain(`zj-330000  ${zhejiang}`);
    expect(output).toContain('zjscjg.admin');
    expect(output).toContain('huitong demo scenario cross-province');
  });

  it('runs the cross-province scenario against the running federation', async () => {
    const { code, stdout } = await scenario([national!, fujian!, zhejiang!]);
    expect(stdout).toContain('OUTCOME: as expected');
    expect(code).toBe(0);
    expect(stdout).toMatch(/catalog search finds 企业登记基本信息公示 \(\S+\) .* under fj-350000/);
    expect(stdout).toMatch(/法定代表人 masked by 福建: \S*\*/);
    expect(stdout).toContain('federation.receipt from fj-350000');
    expect(stdout).toMatch(/data\.release\.start and #\d+ data\.release\.complete .* the same SHA-256/);
  }, 90_000);

  it('fails, non-zero and saying why, when a node is not the one it should be', async () => {
    // 浙江's URL given as 福建's: 福建's auditor is not there, nor is the release in its log.
    const { code, stdout } = await scenario([national!, zhejiang!, zhejiang!]);
    expect(code).toBe(1);
    expect(stdout).toContain('OUTCOME: NOT as expected');
    expect(stdout).toContain('FAILED:');
  }, 90_000);

  it('stops all three nodes on SIGINT', async () => {
    demo.kill('SIGINT');
    expect(await exit).toBe(0);
    for (const url of [national, fujian, zhejiang]) {
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    }
  }, 30_000);
});
