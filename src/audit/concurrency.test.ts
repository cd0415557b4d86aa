import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVICES } from '../../test/support/services.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { openStore, type Store } from '../store/index.js';
import { AuditUnavailableError, auditKeyFrom, createAuditLog, privateKeyFromSeed } from './index.js';

const ORIGIN = 'concurrency.huitong/audit';
const key = auditKeyFrom(ORIGIN, privateKeyFromSeed(Buffer.alloc(32, 5)));
const actor = (n: number) => ({ kind: 'user', id: `u${n % 7}`, orgId: `org${n % 3}` }) as const;
const options = { key, origin: ORIGIN, checkpointEvery: 7, checkpointIntervalMs: 0 };

describeEachStore('audit concurrency', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it('gives 64 concurrent appends gap-free indices in a tree that verifies', async () => {
    const log = await createAuditLog(store, options);
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, n) => log.append({ type: 'query.run', actor: actor(n), data: { n } })),
    );
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 64 }, (_, i) => i),
    );
    for (const r of results) expect((await log.entry(r.index))?.index).toBe(r.index);
    expect(await log.verify()).toMatchObject({ ok: true, treeSize: 64 });
    await log.close();
  });

  it('rejects appends with a 503 audit_unavailable when the store cannot be written', async () => {
    const broken = await openTestStore(kind);
    const log = await createAuditLog(broken, options);
    await sql`DROP TABLE audit_entries`.execute(broken.db);
    const failures = await Promise.allSettled(
      [1, 2, 3].map((n) => log.append({ type: 'query.run', actor: actor(n) })),
    );
    for (const f of failures) {
      expect(f.status).toBe('rejected');
      const reason = (f as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(AuditUnavailableError);
      expect(reason).toMatchObject({ status: 503, code: 'audit_unavailable' });
    }
    expect(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_nodes`.execute(broken.db)).rows[0]?.n,
    ).toBe(0);
    await log.close();
    await broken.close();
  });

  it('recovers when another writer moved the head: two logs over one store stay linear', async () => {
    const fresh = await openTestStore(kind);
    try {
      const [a, b] = [await createAuditLog(fresh, options), await createAuditLog(fresh, options)];
      const indices: number[] = [];
      for (let round = 0; round < 5; round++) {
        const burst = Array.from({ length: 10 }, (_, n) =>
          (n % 2 ? a : b).append({ type: 'query.run', actor: actor(n) }),
        );
        indices.push(...(await Promise.all(burst)).map((r) => r.index));
      }
      expect(indices.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      await Promise.all([a.close(), b.close()]);
      expect(await a.verify({ deep: true })).toMatchObject({ ok: true, treeSize: 50 });
    } finally {
      await fresh.close();
    }
  });

  it.runIf(kind === 'postgres')(
    'keeps one linear history when two store handles append at once',
    async () => {
      const fresh = await openTestStore(kind);
      const second = await openStore({
        databaseUrl: SERVICES.postgres.url,
        schema: fresh.schema,
        maxConnections: 4,
      });
      try {
        const [a, b] = [await createAuditLog(fresh, options), await createAuditLog(second, options)];
        const writes = Array.from({ length: 200 }, (_, n) =>
          (n % 2 ? a : b).append({ type: 'query.run', actor: actor(n), data: { n, via: n % 2 } }),
        );
        const indices = (await Promise.all(writes)).map((r) => r.index).sort((x, y) => x - y);
        expect(indices).toEqual(Array.from({ length: 200 }, (_, i) => i));
        await Promise.all([a.close(), b.close()]);
        const report = await a.verify();
        expect(report).toMatchObject({ ok: true, treeSize: 200 });
        expect(report.checkpointsVerified).toBeGreaterThanOrEqual(2);
      } finally {
        await second.close();
        await fresh.close();
      }
    },
  );
});
