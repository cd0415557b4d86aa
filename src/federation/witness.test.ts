import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../test/support/factories.js';
import {
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
  testAuditKey,
} from '../../test/support/http.js';
import { testOutbound } from '../../test/support/services.js';
import { describeEachStore } from '../../test/support/store.js';
import {
  DEFAULT_ORIGIN,
  leafHash,
  nodeHash,
  openNote,
  signCheckpoint,
  verifierFromVkey,
} from '../audit/index.js';
import { WarningEngine } from '../warning/index.js';
import {
  cosign,
  initRoot,
  joinFederation,
  loadNodeKey,
  noteBody,
  readHeldConfig,
  refreshConfig,
  signRequest,
  type WitnessContext,
  witnessName,
  witnessRound,
} from './index.js';

const actor = { kind: 'system', id: 'witness-test', orgId: null } as const;

async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

/** The cosignatures of a note checked by hand, from the C2SP text and Node's crypto alone. */
function independentCosignatures(note: string, witnesses: Record<string, string>): Record<string, number> {
  const split = note.lastIndexOf('\n\n');
  const body = note.slice(0, split + 1);
  const found: Record<string, number> = {};
  for (const line of note
    .slice(split + 2)
    .trimEnd()
    .split('\n')) {
    const [dash, name, b64] = line.split(' ');
    expect(dash).toBe('\u2014');
    const publicKey = witnesses[name!];
    if (!publicKey) continue;
    const raw = Buffer.from(publicKey, 'base64');
    const value = Buffer.from(b64!, 'base64');
    const keyId = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([0x04]), raw]))
      .digest()
      .subarray(0, 4);
    expect(value.length).toBe(76);
    expect(value.subarray(0, 4).equals(keyId)).toBe(true);
    const time = Number(value.readBigUInt64BE(4));
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    const message = Buffer.from(`cosignature/v1\ntime ${time}\n${body}`);
    expect(verify(null, message, key, value.subarray(12))).toBe(true);
    found[name!] = time;
  }
  return found;
}

describeEachStore('witnessed logs (three nodes)', (kind) => {
  const servers: Record<string, TestServer> = {};
  const urls: Record<string, string> = {};
  const contexts: Record<string, WitnessContext> = {};
  const publicKeys: Record<string, string> = {};
  const admins: Record<string, Credentials> = {};
  const ids = ['cn-100000', 'zj-330000', 'fj-350000'] as const;

  beforeAll(async () => {
    for (const id of ids) {
      servers[id] = await openTestServer(kind);
      urls[id] = await listen(servers[id]);
      const server = servers[id];
      contexts[id] = {
        db: server.store.db,
        policy: testOutbound,
        nodeKey: async () => (await loadNodeKey(server.config.HUITONG_DATA_DIR)).key,
        audit: server.audit,
      };
      publicKeys[id] = (await loadNodeKey(server.config.HUITONG_DATA_DIR)).publicKey;
      const user = await buildUser(server.store.db, { roles: ['platform_admin'] });
      admins[id] = await loginAs(server.app, user.username, TEST_PASSWORD);
    }
    const root = servers['cn-100000']!;
    await initRoot(root.store.db, await loadNodeKey(root.config.HUITONG_DATA_DIR), '测试联邦', {
      nodeId: 'cn-100000',
      regionCode: '100000',
      name: '国家节点',
      level: 'national',
      url: urls['cn-100000']!,
      auditVkey: root.audit.vkey,
    });
    for (const [id, region, name] of [
      ['zj-330000', '330000', '浙江省节点'],
      ['fj-350000', '350000', '福建省节点'],
    ] as const) {
      const issued = await root.app.inject({
        method: 'POST',
        url: '/api/v1/federation/join-tokens',
        payload: {},
        ...admins['cn-100000']!,
      });
      const member = servers[id]!;
      await joinFederation(
        member.store.db,
        testOutbound,
        await loadNodeKey(member.config.HUITONG_DATA_DIR),
        urls['cn-100000']!,
        issued.json().token,
        {
          nodeId: id,
          regionCode: region,
          name,
          level: 'provincial',
          url: urls[id]!,
          parentNodeId: 'cn-100000',
          auditVkey: member.audit.vkey,
        },
      );
      await root.app.inject({
        method: 'POST',
        url: `/api/v1/federation/members/${id}/decision`,
        payload: { decision: 'approve' },
        ...admins['cn-100000']!,
      });
    }
    for (const id of ['zj-330000', 'fj-350000']) await refreshConfig(servers[id]!.store.db, testOutbound);
  });
  afterAll(async () => {
    for (const id of ids) await servers[id]?.close();
  });

  /** Appends `n` entries to a node's log and signs a checkpoint of it; returns its size. */
  async function grow(id: string, n: number): Promise<number> {
    const server = servers[id]!;
    for (let i = 0; i < n; i++) await server.audit.append({ type: 'grant.created', actor, data: { i } });
    return (await server.audit.checkpoint())!.treeSize;
  }
  const round = (id: string) => witnessRound(contexts[id]!);
  const alertsOn = async (id: string) => {
    const listed = await servers[id]!.app.inject({
      method: 'GET',
      url: '/api/v1/federation/witness/alerts',
      ...admins[id]!,
    });
    expect(listed.statusCode).toBe(200);
    return listed.json().items as {
      subjectNodeId: string;
      kind: string;
      detectedBy: string;
      agreedSize: number;
      divergedBy: number;
    }[];
  };
  const witnessKeys = () => Object.fromEntries(ids.map((id) => [`witness.huitong/${id}`, publicKeys[id]!]));

  it('the configuration publishes each log key; consistent growth is cosigned and the root serves the cosigned note', async () => {
    const held = await readHeldConfig(servers['zj-330000']!.store.db);
    expect(held?.config.nodes.map((n) => n.auditVkey)).toEqual([
      servers['cn-100000']!.audit.vkey,
      servers['fj-350000']!.audit.vkey,
      servers['zj-330000']!.audit.vkey,
    ]);
    for (const id of ids) await grow(id, 3);
    const first = await round('zj-330000');
    expect(first.peers).toEqual({ 'cn-100000': 'cosigned', 'fj-350000': 'cosigned' });
    expect(first.report).toMatchObject({ accepted: 2, rejected: 0 });
    // The log grows: the witnesses prove the new tree extends the one they cosigned.
    const size = await grow('zj-330000', 4);
    expect((await round('fj-350000')).peers['zj-330000']).toBe('cosigned');
    expect((await round('cn-100000')).peers).toEqual({ 'zj-330000': 'cosigned', 'fj-350000': 'cosigned' });
    expect((await round('fj-350000')).peers['zj-330000']).toBe('unchanged');

    const listing = await fetch(`${urls['cn-100000']}/api/v1/federation/witness/checkpoints`);
    const items = (
      (await listing.json()) as { items: { nodeId: string; treeSize: number; witnesses: string[] }[] }
    ).items;
    expect(items.find((i) => i.nodeId === 'zj-330000')).toMatchObject({
      treeSize: size,
      witnesses: ['cn-100000', 'fj-350000'],
    });
    const served = await fetch(`${urls['cn-100000']}/api/v1/federation/witness/checkpoints/zj-330000`);
    expect(served.headers.get('content-type')).toMatch(/^text\/plain/);
    const note = await served.text();
    expect(openNote(note, [verifierFromVkey(servers['zj-330000']!.audit.vkey)]).text).toBe(
      `${DEFAULT_ORIGIN}\n${size}\n${(await servers['zj-330000']!.audit.rootAt(size)).toString('base64')}\n`,
    );
    const cosigned = independentCosignatures(note, witnessKeys());
    expect(Object.keys(cosigned).sort()).toEqual(['witness.huitong/cn-100000', 'witness.huitong/fj-350000']);
    for (const time of Object.values(cosigned)) expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(60);
    const peers = await servers['fj-350000']!.app.inject({
      method: 'GET',
      url: '/api/v1/federation/witness/peers',
      ...admins['fj-350000']!,
    });
    expect(peers.json().items).toEqual([
      expect.objectContaining({ nodeId: 'cn-100000', keySource: 'config', lastError: null }),
      expect.objectContaining({
        nodeId: 'zj-330000',
        keySource: 'config',
        lastSeenSize: size,
        lastError: null,
      }),
    ]);
  });

  it('the fork test: a node rewrites its log; its peers’ witnesses detect it, name the index, and every node shows the alert', async () => {
    const zj = servers['zj-330000']!;
    // Fujian's witness sees every size of Zhejiang's log from here; the root only the last.
    const start = await grow('zj-330000', 1);
    await round('fj-350000');
    await grow('zj-330000', 1);
    await round('fj-350000');
    const size = await grow('zj-330000', 1);
    await round('fj-350000');
    await round('cn-100000');
    const rewritten = start; // entry index `start` is the first entry after the first size seen here

    await rewriteEntry(zj, rewritten, size);
    const fujian = await round('fj-350000');
    expect(fujian.peers['zj-330000']).toBe('fork');
    expect((await round('cn-100000')).peers['zj-330000']).toBe('fork');
    await round('zj-330000'); // Zhejiang hears of it from the root, like every other node

    const byFujian = (await alertsOn('fj-350000')).find((a) => a.subjectNodeId === 'zj-330000');
    expect(byFujian).toMatchObject({
      kind: 'fork',
      detectedBy: 'fj-350000',
      agreedSize: rewritten,
      divergedBy: rewritten + 1,
    });
    const byRoot = (await alertsOn('cn-100000')).filter((a) => a.subjectNodeId === 'zj-330000');
    expect(byRoot.map((a) => a.detectedBy).sort()).toEqual(['cn-100000', 'fj-350000']);
    const root = byRoot.find((a) => a.detectedBy === 'cn-100000')!;
    expect(root.agreedSize).toBeLessThanOrEqual(rewritten);
    expect(root.divergedBy).toBeGreaterThan(rewritten);
    expect((await alertsOn('zj-330000')).map((a) => a.detectedBy).sort()).toEqual(['cn-100000', 'fj-350000']);
    const types = await auditTypes('fj-350000');
    expect(types).toContainEqual(
      expect.objectContaining({
        type: 'federation.fork_detected',
        data: expect.objectContaining({ nodeId: 'zj-330000', index: rewritten }),
      }),
    );
    // The early-warning centre of each node raises it, once per forked node, as critical.
    for (const id of ['fj-350000', 'cn-100000']) {
      await new WarningEngine(servers[id]!.store.db).evaluate();
      const raised = await servers[id]!.store.db.selectFrom('warning_alerts')
        .selectAll()
        .where('rule', '=', 'federation_log_fork')
        .execute();
      expect(raised.map((a) => [a.subject, a.severity])).toEqual([['node:zj-330000', 'critical']]);
      // Fujian saw every size and names the entry; the root, which saw fewer, an earlier bound.
      expect(raised[0]!.summary).toContain(id === 'fj-350000' ? `自第 ${rewritten} 条起` : '条起');
    }
    // The forked checkpoint is cosigned by no one: the root still publishes the last consistent one.
    const listing = await fetch(`${urls['cn-100000']}/api/v1/federation/witness/checkpoints`);
    const published = (
      (await listing.json()) as { items: { nodeId: string; treeSize: number; rootHash: string }[] }
    ).items;
    const latest = await zj.audit.latestCheckpoint();
    expect(published.find((i) => i.nodeId === 'zj-330000')?.rootHash).not.toBe(
      latest!.rootHash.toString('base64'),
    );
    // Detected again next round, it stays one alert per witness (the root's relayed to Fujian too).
    await round('fj-350000');
    const onFujian = (await alertsOn('fj-350000')).filter((a) => a.subjectNodeId === 'zj-330000');
    expect(onFujian.map((a) => a.detectedBy).sort()).toEqual(['cn-100000', 'fj-350000']);
  });

  it('a node that rolls its log back is detected as a rollback at the size it went back to', async () => {
    const fj = servers['fj-350000']!;
    const before = await grow('fj-350000', 2);
    await round('zj-330000');
    await grow('fj-350000', 2);
    await round('zj-330000');
    const { rows } = await sql<{
      id: string;
    }>`SELECT id FROM audit_checkpoints WHERE tree_size = ${before}`.execute(fj.store.db);
    await sql`DELETE FROM audit_checkpoints WHERE id > ${rows[0]!.id}`.execute(fj.store.db);
    expect((await round('zj-330000')).peers['fj-350000']).toBe('rollback');
    expect((await alertsOn('zj-330000')).find((a) => a.subjectNodeId === 'fj-350000')).toMatchObject({
      kind: 'rollback',
      detectedBy: 'zj-330000',
      agreedSize: before,
      divergedBy: before + 2,
    });
  });

  it('the root takes only signed reports from members, and only cosignatures the sender made over a checkpoint the log signed', async () => {
    const url = `${urls['cn-100000']}/api/v1/federation/witness/cosignatures`;
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cosigned: [], alerts: [] }),
    });
    expect(unsigned.status).toBe(401);
    const onMember = await servers['zj-330000']!.app.inject({
      method: 'POST',
      url: '/api/v1/federation/witness/cosignatures',
      payload: { cosigned: [], alerts: [] },
    });
    expect(onMember.statusCode).toBe(403);
    // Zhejiang sends a cosignature of the root's log made with another key, and one of Fujian's
    // log over a checkpoint the log never signed: both refused, the report still answered.
    const note = (await servers['cn-100000']!.audit.latestCheckpoint())!.note;
    const body = noteBody(note);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forgedNote = note.replace(/\n(\d+)\n/, (_m, n) => `\n${Number(n) + 1}\n`);
    const zjKey = await contexts['zj-330000']!.nodeKey();
    const report = Buffer.from(
      JSON.stringify({
        cosigned: [
          { logNodeId: 'cn-100000', note, cosignature: cosign(body, witnessName('zj-330000'), stranger, 1) },
          {
            logNodeId: 'fj-350000',
            note: forgedNote,
            cosignature: cosign(noteBody(forgedNote), witnessName('zj-330000'), zjKey, 1),
          },
        ],
        alerts: [],
      }),
    );
    const headers = await signRequest(
      { nodeId: 'zj-330000', key: zjKey },
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: report },
    );
    const answered = await fetch(url, { method: 'POST', headers, body: report });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ accepted: 0, rejected: 2 });
  });

  async function auditTypes(id: string) {
    const rows = await servers[id]!.store.db.selectFrom('audit_entries').select('entry').execute();
    return rows.map(
      (r) => JSON.parse(Buffer.from(r.entry).toString('utf8')) as { type: string; data: unknown },
    );
  }
});

/**
 * Rewrites entry `index` of a node's log as a dishonest operator would: the entry, its leaf hash,
 * every stored subtree above it, and a new checkpoint of the same size signed with the log's key.
 */
async function rewriteEntry(server: TestServer, index: number, size: number): Promise<void> {
  const db = server.store.db;
  const { rows } = await sql<{
    entry: Uint8Array;
  }>`SELECT entry FROM audit_entries WHERE idx = ${index}`.execute(db);
  const forged = Buffer.from(Buffer.from(rows[0]!.entry).toString('utf8').replace('"i":0', '"i":9'));
  await sql`UPDATE audit_entries SET entry = ${forged}, leaf_hash = ${leafHash(forged)} WHERE idx = ${index}`.execute(
    db,
  );
  const leaves = await sql<{
    leaf_hash: Uint8Array;
  }>`SELECT leaf_hash FROM audit_entries ORDER BY idx`.execute(db);
  let level: Buffer[] = leaves.rows.map((r) => Buffer.from(r.leaf_hash));
  await sql`DELETE FROM audit_nodes`.execute(db);
  for (let l = 1; level.length > 1; l++) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    for (const [i, hash] of next.entries())
      await sql`INSERT INTO audit_nodes (level, idx, hash) VALUES (${l}, ${i}, ${hash})`.execute(db);
    level = next;
  }
  const root = await server.audit.rootAt(size);
  const note = signCheckpoint({ origin: DEFAULT_ORIGIN, size, root }, testAuditKey().signer);
  await sql`INSERT INTO audit_checkpoints (tree_size, root_hash, note, created_at) VALUES (${size}, ${root}, ${note}, now())`.execute(
    db,
  );
}
