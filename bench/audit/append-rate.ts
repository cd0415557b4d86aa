import { type Kysely, sql } from 'kysely';
import { type AuditLog, canonicalBytes } from '../../src/audit/index.js';
import type { Database } from '../../src/store/index.js';
import { benchEvent } from './events.js';

/** Runs `writers` loops of `op` until `ms` have passed; returns completed operations per second. */
async function rate(writers: number, ms: number, op: (n: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + ms;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(w * 1_000_000 + i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Durable audit appends per second with `writers` concurrent callers. */
export function auditAppendRate(log: AuditLog, writers: number, ms: number): Promise<number> {
  return rate(writers, ms, (n) => log.append(benchEvent(n)));
}

/**
 * The baseline: the same entry bytes as single-row INSERTs into a plain table, each its own
 * transaction, from `writers` concurrent callers: what the store does with no log, tree or batching.
 */
export async function baselineInsertRate(db: Kysely<Database>, writers: number, ms: number): Promise<number> {
  await sql`CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, entry bytea NOT NULL)`.execute(
    db,
  );
  const bytes = canonicalBytes({
    v: 1,
    index: 1,
    time: new Date().toISOString(),
    ref: null,
    ...benchEvent(1),
  });
  return rate(writers, ms, () => sql`INSERT INTO bench_baseline (entry) VALUES (${bytes})`.execute(db));
}
