import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { lastSandboxStartFailure } from './process.js';

/** A failed child start counts against readiness this long (then the next query tries afresh). */
const FAILURE_MEMORY_MS = 60_000;

/** The sandbox's part of the readiness check. */
export interface SandboxHealth {
  ok: boolean;
  /** Why not, in a word an operator can look up (never a path). */
  reason?: 'scratch_unusable' | 'start_failed';
}

/**
 * Whether SQL queries can get a sandbox: the scratch folder, where every child's private folder is
 * made, is a writable directory, and no child start failed in the last minute. It forks nothing:
 * a load balancer's check every second must not cost a process.
 */
export async function sandboxHealth(scratchRoot: string): Promise<SandboxHealth> {
  try {
    if (!(await stat(scratchRoot)).isDirectory()) return { ok: false, reason: 'scratch_unusable' };
    await access(scratchRoot, constants.W_OK);
  } catch {
    return { ok: false, reason: 'scratch_unusable' };
  }
  const failure = lastSandboxStartFailure();
  if (failure && Date.now() - failure.at < FAILURE_MEMORY_MS) return { ok: false, reason: 'start_failed' };
  return { ok: true };
}
