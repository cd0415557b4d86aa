import type { AuditLog } from '../../src/audit/index.js';
import { benchEvent, percentile } from './events.js';

/** Fills the log up to `total` entries through the bulk path; returns entries per second. */
export async function fill(log: AuditLog, from: number, total: number, chunk = 10_000): Promise<number> {
  const started = performance.now();
  for (let n = from; n < total; n += chunk) {
    const events = Array.from({ length: Math.min(chunk, total - n) }, (_, i) => benchEvent(n + i));
    await log.appendMany(events);
    if ((n / chunk) % 10 === 0) process.stdout.write(`  filled ${n + events.length}\r`);
  }
  return (total - from) / ((performance.now() - started) / 1000);
}

/** Latency of inclusion proofs for random entries of a tree of `size`, in milliseconds. */
export async function proofLatency(
  log: AuditLog,
  size: number,
  samples = 1000,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples + 50; i++) {
    const index = Math.floor(Math.random() * size);
    const started = performance.now();
    await log.inclusionProof(index, size);
    if (i >= 50) times.push(performance.now() - started); // the first 50 warm the cache
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Seconds to verify the whole stored log. */
export async function verifyTime(log: AuditLog): Promise<{ seconds: number; ok: boolean; size: number }> {
  const started = performance.now();
  const report = await log.verify();
  return { seconds: (performance.now() - started) / 1000, ok: report.ok, size: report.treeSize };
}
