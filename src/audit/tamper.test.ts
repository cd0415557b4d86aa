import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import {
  type AuditLog,
  auditKeyFrom,
  createAuditLog,
  leafHash,
  privateKeyFromSeed,
  signCheckpoint,
  verifyExport,
} from './index.js';

const ORIGIN = 'tamper.huitong/audit';
const key = auditKeyFrom(ORIGIN, privateKeyFromSeed(Buffer.alloc(32, 3)));
const actor = { kind: 'system', id: 'scheduler', orgId: null } as const;

describeEachStore('audit tampering', (kind) => {
  let store: Store;
  // In a hook: the first open of the worker's PGlite takes seconds, which hooks have time for.
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.close());

  /** A log of 25 entries with checkpoints at 5, 10, 15, 20 and 25. */
  async function seeded(): Promise<AuditLog> {
    const log = await createAuditLog(store, {
      key,
      origin: ORIGIN,
      checkpointEvery: 5,
      checkpointIntervalMs: 0,
    });
    for (let i = 0; i < 25; i++)
      await log.append({ type: 'grant.create', actor, requestId: `req-${i}`, data: { n: i } });
    expect((await log.verify()).ok).toBe(true);
    return log;
  }
  const problemOf = async (log: AuditLog) => (await log.verify()).problem;
  const run = (query: ReturnType<typeof sql>) => query.execute(store.db);

  it('names an entry whose bytes were altered', async () => {
    const log = await seeded();
    await run(
      sql`UPDATE audit_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'), 'req-7', 'req-X'), 'UTF8') WHERE idx = 7`,
    );
    expect(await problemOf(log)).toMatchObject({ index: 7, code: 'leaf_hash_mismatch' });
  });

  it('catches an altered entry whose stored leaf hash was rewritten too, at the checkpoint range', async () => {
    const log = await seeded();
    const { rows } = await sql<{ entry: Uint8Array }>`SELECT entry FROM audit_entries WHERE idx = 7`.execute(
      store.db,
    );
    const forged = Buffer.from(Buffer.from(rows[0]!.entry).toString('utf8').replace('"n":7', '"n":9'));
    await run(sql`UPDATE audit_entries SET entry = ${forged} WHERE idx = 7`);
    await run(sql`UPDATE audit_entries SET leaf_hash = ${leafHash(forged)} WHERE idx = 7`);
    expect(await problemOf(log)).toMatchObject({ index: 5, code: 'checkpoint_root_mismatch', treeSize: 10 });
  });

  it('names a search column that no longer says what the entry says', async () => {
    const log = await seeded();
    await run(
      sql`UPDATE audit_entries SET tags = array_replace(tags, 'actor:system:scheduler', 'actor:system:x') WHERE idx = 11`,
    );
    expect(await problemOf(log)).toBeUndefined();
    expect((await log.verify({ deep: true })).problem).toMatchObject({ index: 11, code: 'columns_mismatch' });
  });

  it('names an entry overwritten with bytes that are not even UTF-8', async () => {
    const log = await seeded();
    await run(sql`UPDATE audit_entries SET entry = '\\xff00fe'::bytea WHERE idx = 9`);
    expect(await problemOf(log)).toMatchObject({ index: 9, code: 'entry_misplaced' });
  });

  it('names a deleted entry', async () => {
    const log = await seeded();
    await run(sql`DELETE FROM audit_entries WHERE idx = 12`);
    expect(await problemOf(log)).toMatchObject({ index: 12, code: 'missing_entry' });
  });

  it('names the first of two reordered entries', async () => {
    const log = await seeded();
    await run(sql`UPDATE audit_entries SET idx = -1 WHERE idx = 3`);
    await run(sql`UPDATE audit_entries SET idx = 3 WHERE idx = 4`);
    await run(sql`UPDATE audit_entries SET idx = 4 WHERE idx = -1`);
    expect(await problemOf(log)).toMatchObject({ index: 3, code: 'entry_misplaced' });
  });

  it('detects a truncated tail that checkpoints still cover', async () => {
    const log = await seeded();
    await run(sql`DELETE FROM audit_entries WHERE idx >= 20`);
    expect(await problemOf(log)).toMatchObject({ index: 20, code: 'truncated', treeSize: 25 });
  });

  it('detects a checkpoint whose signature was swapped for another one', async () => {
    const log = await seeded();
    const sig = (note: string) => note.slice(note.lastIndexOf('\n\n'));
    const { rows } = await sql<{
      note: string;
      tree_size: number;
    }>`SELECT note, tree_size FROM audit_checkpoints ORDER BY id`.execute(store.db);
    const of10 = rows.find((r) => Number(r.tree_size) === 10)!.note;
    const of15 = rows.find((r) => Number(r.tree_size) === 15)!.note;
    await run(
      sql`UPDATE audit_checkpoints SET note = ${of15.replace(sig(of15), sig(of10))} WHERE tree_size = 15`,
    );
    expect(await problemOf(log)).toMatchObject({ index: 10, code: 'checkpoint_signature', treeSize: 15 });
  });

  it('detects a fork: two signed checkpoints of one size with different roots', async () => {
    const log = await seeded();
    const note = signCheckpoint({ origin: ORIGIN, size: 10, root: Buffer.alloc(32, 9) }, key.signer);
    await run(
      sql`INSERT INTO audit_checkpoints (tree_size, root_hash, note, created_at) VALUES (10, ${Buffer.alloc(32, 9)}, ${note}, now())`,
    );
    expect(await problemOf(log)).toMatchObject({ index: 5, code: 'checkpoint_fork', treeSize: 10 });
  });

  it('detects a signed checkpoint inconsistent with the earlier ones', async () => {
    const log = await seeded();
    const root = Buffer.alloc(32, 4);
    const note = signCheckpoint({ origin: ORIGIN, size: 12, root }, key.signer);
    await run(
      sql`INSERT INTO audit_checkpoints (tree_size, root_hash, note, created_at) VALUES (12, ${root}, ${note}, now())`,
    );
    expect(await problemOf(log)).toMatchObject({ index: 10, code: 'checkpoint_root_mismatch', treeSize: 12 });
  });

  it('detects tampering in an export offline', async () => {
    const log = await seeded();
    const lines: string[] = [];
    for await (const line of log.exportLog()) lines.push(line);
    const at = lines.findIndex((l) => l.includes('"req-16"'));
    const altered = lines.map((l, i) => (i === at ? l.replace('"n":16', '"n":61') : l));
    expect((await verifyExport(altered, { vkey: key.vkey })).problem).toMatchObject({
      index: 16,
      code: 'leaf_hash_mismatch',
    });
    const dropped = lines.filter((_, i) => i !== at);
    expect((await verifyExport(dropped, { vkey: key.vkey })).problem).toMatchObject({
      index: 16,
      code: 'missing_entry',
    });
    const rehashed = altered.map((l, i) =>
      i === at ? l.replace(/"leafHash":"[^"]+"/, '"leafHash":null') : l,
    );
    expect((await verifyExport(rehashed, { vkey: key.vkey })).problem).toMatchObject({
      index: 15,
      code: 'checkpoint_root_mismatch',
    });
  });
});
