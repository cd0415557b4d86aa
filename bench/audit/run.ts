/**
 * Audit log benchmark: durable appends/s with 64 concurrent writers against a plain-INSERT
 * baseline, inclusion-proof latency and full verification at 1,000,000 entries, on PGlite (on
 * disk) and PostgreSQL. Run: npx tsx bench/audit/run.ts
 * (BENCH_AUDIT_ENTRIES, BENCH_AUDIT_WINDOW_MS and BENCH_AUDIT_STORES=pglite,postgres adjust it.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { auditKeyFrom, createAuditLog, privateKeyFromSeed } from '../../src/audit/index.js';
import { dropSchema, migrate, openStore, type Store } from '../../src/store/index.js';
import { auditAppendRate, baselineInsertRate } from './append-rate.js';
import { fill, proofLatency, verifyTime } from './million.js';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const WINDOW_MS = Number(process.env.BENCH_AUDIT_WINDOW_MS ?? 8000);
const STORES = (process.env.BENCH_AUDIT_STORES ?? 'pglite,postgres').split(',');
const POSTGRES_URL = process.env.HUITONG_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITERS = 64;
const ORIGIN = 'bench.huitong/audit';
const key = auditKeyFrom(ORIGIN, privateKeyFromSeed(randomBytes(32)));

interface Result {
  store: string;
  audit: number;
  baseline: number;
  fill: number;
  p50: number;
  p99: number;
  verify: number;
  verified: boolean;
}

async function open(kind: string): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'huitong-bench-audit-'));
    const store = await openStore({ dataDir: dir });
    await migrate(store);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ databaseUrl: POSTGRES_URL, schema, maxConnections: WRITERS });
  await migrate(store);
  return {
    store,
    cleanup: async () => {
      await dropSchema(store, schema);
      await store.close();
    },
  };
}

async function bench(kind: string): Promise<Result> {
  const { store, cleanup } = await open(kind);
  try {
    const log = await createAuditLog(store, {
      key,
      origin: ORIGIN,
      checkpointEvery: 1000,
      checkpointIntervalMs: 0,
    });
    await auditAppendRate(log, WRITERS, 1000); // warm-up
    const audit = await auditAppendRate(log, WRITERS, WINDOW_MS);
    await baselineInsertRate(store.db, WRITERS, 1000);
    const baseline = await baselineInsertRate(store.db, WRITERS, WINDOW_MS);
    console.log(`${kind}: audit ${audit.toFixed(0)}/s, baseline ${baseline.toFixed(0)}/s`);
    await log.close();

    const bulk = await createAuditLog(store, {
      key,
      origin: ORIGIN,
      checkpointEvery: 100_000,
      checkpointIntervalMs: 0,
      maxBatch: 10_000,
    });
    const from = (await bulk.latestCheckpoint())?.treeSize ?? 0;
    const rate = await fill(bulk, from, ENTRIES);
    await bulk.checkpoint();
    console.log(`${kind}: filled ${ENTRIES} at ${rate.toFixed(0)}/s`);
    const { p50, p99 } = await proofLatency(bulk, ENTRIES);
    console.log(`${kind}: inclusion proof p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    const v = await verifyTime(bulk);
    console.log(`${kind}: verified ${v.size} entries in ${v.seconds.toFixed(1)} s (ok: ${v.ok})`);
    await bulk.close();
    return { store: kind, audit, baseline, fill: rate, p50, p99, verify: v.seconds, verified: v.ok };
  } finally {
    await cleanup();
  }
}

const results: Result[] = [];
for (const kind of STORES) results.push(await bench(kind));

console.log(
  `\n${new Date().toISOString()} · node ${process.version} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GB`,
);
console.log(`${WRITERS} writers, ${WINDOW_MS} ms windows, ${ENTRIES} entries\n`);
console.log(
  '| store | audit appends/s | baseline INSERTs/s | ratio | bulk fill/s | proof p50 | proof p99 | verify |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.store} | ${r.audit.toFixed(0)} | ${r.baseline.toFixed(0)} | ${(r.audit / r.baseline).toFixed(1)}× | ${r.fill.toFixed(0)} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.verify.toFixed(1)} s${r.verified ? '' : ' (FAILED)'} |`,
  );
}
