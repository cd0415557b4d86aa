import { type ChildProcess, spawn } from 'node:child_process';

/** One `huitong serve` child of the federation demo. */
export interface NodeProcess {
  label: string;
  url: string;
  child: ChildProcess;
  /** Its last output lines (for a failure message). */
  tail(): string;
}

/**
 * Starts `huitong serve` as this very command was started (the same Node, loader flags and
 * entry: bin/huitong.js, a bundle, or src/cli/main.ts under tsx), its output prefixed with
 * `label`.
 */
export function startNode(label: string, url: string, env: NodeJS.ProcessEnv): NodeProcess {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const relay = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') process.stdout.write(`[${label}] ${line}\n`);
    }
  };
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  return { label, url, child, tail: () => tail };
}

/** Waits until the node answers /api/health with 200, or fails when it exits or `timeoutMs` passes. */
export async function waitHealthy(node: NodeProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (node.child.exitCode !== null || node.child.signalCode !== null)
      throw new Error(
        `${node.label} exited (${node.child.exitCode ?? node.child.signalCode}): ${node.tail()}`,
      );
    try {
      if ((await fetch(`${node.url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${node.label} did not come up at ${node.url}: ${node.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
export async function stopNode(node: NodeProcess): Promise<void> {
  const { child } = node;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
