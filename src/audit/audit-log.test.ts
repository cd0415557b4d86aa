import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import {
  type AuditLog,
  auditKeyFrom,
  createAuditLog,
  entriesCsv,
  exportLog,
  MemoryTree,
  openCheckpoint,
  privateKeyFromSeed,
  releasesOfResource,
  releasesToOrganization,
  verifierFromVkey,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
} from './index.js';

const ORIGIN = 'test.huitong/audit';
const key = auditKeyFrom(ORIGIN, privateKeyFromSeed(Buffer.alloc(32, 7)));
const alice = { kind: 'user', id: 'u-alice', orgId: 'org-a' } as const;
const app = { kind: 'application', id: 'app-1', orgId: 'org-b' } as const;

describeEachStore('audit log', (kind) => {
  let store: Store;
  let log: AuditLog;
  beforeAll(async () => {
    store = await openTestStore(kind);
    log = await createAuditLog(store, { key, origin: ORIGIN, checkpointEvery: 10, checkpointIntervalMs: 0 });
  });
  afterAll(async () => {
    await log.close();
    await store.close();
  });

  it('appends entries with gap-free indices, serves proofs from stored hashes and signs checkpoints', async () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 37; i++) {
      const r = await log.append({
        type: 'user.login',
        actor: alice,
        requestId: `r${i}`,
        data: { attempt: i },
      });
      expect(r.index).toBe(i);
      tree.append(r.leafHash);
    }
    for (let size = 1; size <= 37; size += 6) {
      const root = await log.rootAt(size);
      expect(root).toEqual(tree.root(size));
      for (const index of [0, size - 1, Math.floor(size / 2)]) {
        const proof = await log.inclusionProof(index, size);
        expect(proof.path).toEqual(tree.inclusionProof(index, size));
        expect(verifyInclusion(index, size, proof.leafHash, proof.path, root)).toBe(true);
      }
      const consistency = await log.consistencyProof(size, 37);
      expect(verifyConsistency(size, 37, root, tree.root(37), consistency.path)).toBe(true);
    }
    const latest = await log.latestCheckpoint();
    expect(latest?.treeSize).toBe(30);
    const opened = openCheckpoint(latest!.note, verifierFromVkey(log.vkey), ORIGIN);
    expect(opened.root).toEqual(tree.root(30));
    expect((await log.checkpoint())?.treeSize).toBe(37);
    expect(await log.checkpoint()).toBeUndefined();
    await expect(log.inclusionProof(37, 37)).rejects.toMatchObject({ code: 'invalid_leaf_index' });
    await expect(log.consistencyProof(1, 38)).rejects.toMatchObject({ code: 'invalid_tree_size' });
  });

  it('rejects an event with a float or a bad type before writing anything', async () => {
    await expect(log.append({ type: 'x', actor: alice, data: { ratio: 0.5 } })).rejects.toMatchObject({
      code: 'invalid_audit_value',
    });
    await expect(log.append({ type: 'Not A Type', actor: alice })).rejects.toMatchObject({
      code: 'invalid_audit_event',
    });
    expect((await log.append({ type: 'user.logout', actor: alice })).index).toBe(37);
  });

  it('logs releases, answers lineage and investigator queries, and exports CSV', async () => {
    const details = {
      actor: app,
      requestId: 'req-9',
      resources: ['R-001', 'R-002'],
      items: { 'R-001': ['name', 'id_number'], 'R-002': ['amount'] },
      grantId: 'g-1',
      purpose: '社保资格核验',
      query: 'SELECT name, id_number FROM "R-001"',
    };
    const start = await log.beginRelease(details);
    await log.recordRelease(
      { ...details, resources: ['R-002'], requestId: 'req-10' },
      { rows: 2, bytes: 10, sha256: 'b'.repeat(64) },
    );
    await log.completeRelease(start, { rows: 3, bytes: 120, sha256: 'a'.repeat(64) });

    const ofR1 = await releasesOfResource(store.db, 'R-001', { limit: 10 });
    expect(ofR1.items).toHaveLength(1);
    expect(ofR1.items[0]).toMatchObject({
      index: start.index,
      grantId: 'g-1',
      delivered: { rows: 3, sha256: 'a'.repeat(64) },
    });
    const toB = await releasesToOrganization(store.db, 'org-b', { limit: 1 });
    expect(toB.items[0]?.index).toBe(start.index);
    const next = await releasesToOrganization(store.db, 'org-b', { limit: 1, cursor: toB.nextCursor! });
    expect(next.items[0]).toMatchObject({ requestId: 'req-10', delivered: { rows: 2 } });
    expect(next.nextCursor).toBeNull();

    const byResource = await log.entries({ resource: 'R-002' }, { limit: 50 });
    expect(byResource.items.map((e) => e.type)).toEqual([
      'data.release.start',
      'data.release',
      'data.release.complete',
    ]);
    const byActor = await log.entries(
      { actorId: 'u-alice', type: 'user.login', from: new Date(0) },
      { limit: 50 },
    );
    expect(byActor.items).toHaveLength(37);
    const none = await log.entries({ to: new Date(0) }, { limit: 5 });
    expect(none.items).toEqual([]);

    let csv = '';
    for await (const line of entriesCsv(log.streamEntries({ resource: 'R-001' }))) csv += line;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFindex,time,type,actor_kind,actor_id,actor_org_id,request_id,resources,ref,data',
    );
    expect(lines[1]).toContain('"{""grantId"":""g-1"",""items"":');
    expect(lines[1]).toContain('社保资格核验');
  });

  it('verifies live and after export, and an export verifies only with the right key', async () => {
    const live = await log.verify();
    expect(live).toMatchObject({ ok: true, treeSize: 41 });
    const lines: string[] = [];
    for await (const line of log.exportLog()) lines.push(line);
    expect(lines.length).toBe(1 + (await log.checkpoints({ limit: 200 })).items.length + 41);
    expect(await verifyExport(lines, { vkey: log.vkey })).toMatchObject({
      ok: true,
      treeSize: 41,
      rootHash: live.rootHash,
    });
    const stranger = auditKeyFrom(ORIGIN, privateKeyFromSeed(Buffer.alloc(32, 8))).vkey;
    expect((await verifyExport(lines, { vkey: stranger })).problem?.code).toBe('checkpoint_signature');
    const same = [];
    for await (const line of exportLog(store.db, ORIGIN, log.vkey)) same.push(line);
    expect(same).toEqual(lines);
  });

  it('loads its key from the data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitong-audit-'));
    try {
      const other = await createAuditLog(store, { dataDir: dir, checkpointIntervalMs: 0 });
      expect(other.vkey).toMatch(/^huitong\.local\/audit\+[0-9a-f]{8}\+A/);
      await other.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
