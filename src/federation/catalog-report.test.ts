import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildOrganization,
  buildResource,
  buildUser,
  stewardOf,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../test/support/http.js';
import { testOutbound } from '../../test/support/services.js';
import { describeEachStore } from '../../test/support/store.js';
import { rawPublicKey } from '../audit/index.js';
import { retireResource, updateResource } from '../catalog/index.js';
import {
  committedHighWater,
  initRoot,
  joinFederation,
  loadNodeKey,
  pendingChanges,
  publishConfig,
  readReportState,
  refreshConfig,
  reportCatalogOnce,
  signRequest,
  startCatalogReporter,
} from './index.js';

/**
 * A TCP forwarder in front of the root: the tests take the root "down" and bring it back on the
 * same address. Its port is outside the ephemeral range: connecting to a closed ephemeral port
 * of this host can connect the socket to itself (TCP simultaneous open) and then hold the port.
 */
function forwarder(target: () => number) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const listenOn = (candidate: number) =>
    new Promise<boolean>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnectionTo(target());
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
  const up = async () => {
    if (port) {
      if (!(await listenOn(port))) throw new Error(`port ${port} taken`);
      return;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = 20_000 + Math.floor(Math.random() * 10_000);
      if (await listenOn(candidate)) {
        port = candidate;
        return;
      }
    }
    throw new Error('no free port for the forwarder');
  };
  // Stops listening at once (close() waits for nothing: the connections are cut here).
  const down = async () => {
    server?.close();
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise((r) => setImmediate(r));
  };
  return { up, down, url: () => `http://127.0.0.1:${port}` };
}

const createConnectionTo = (port: number) => connect(port, '127.0.0.1');

async function listen(server: TestServer): Promise<number> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return (server.app.server.address() as AddressInfo).port;
}

const until = async <T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('not within the time allowed');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describeEachStore('catalog reporting (目录上报, two nodes over HTTP)', (kind) => {
  let root: TestServer;
  let province: TestServer;
  let proxy: ReturnType<typeof forwarder>;
  let admin: Credentials;
  let provinceKey: Awaited<ReturnType<typeof loadNodeKey>>;
  let orgId: string;
  const report = () =>
    reportCatalogOnce(province.store.db, testOutbound, provinceKey.key, { timeoutMs: 2000 });

  beforeAll(async () => {
    root = await openTestServer(kind);
    province = await openTestServer(kind);
    const rootPort = await listen(root);
    const provincePort = await listen(province);
    proxy = forwarder(() => rootPort);
    await proxy.up();
    const rootKey = await loadNodeKey(root.config.HUITONG_DATA_DIR);
    await initRoot(root.store.db, rootKey, '测试联邦', {
      nodeId: 'cn-100000',
      regionCode: '100000',
      name: '国家节点',
      level: 'national',
      url: proxy.url(),
    });
    const user = await buildUser(root.store.db, { roles: ['platform_admin'] });
    admin = await loginAs(root.app, user.username, TEST_PASSWORD);
    const token = (
      await root.app.inject({ method: 'POST', url: '/api/v1/federation/join-tokens', payload: {}, ...admin })
    ).json().token as string;
    provinceKey = await loadNodeKey(province.config.HUITONG_DATA_DIR);
    await joinFederation(province.store.db, testOutbound, provinceKey, proxy.url(), token, {
      nodeId: 'fj-350000',
      regionCode: '350000',
      name: '福建省节点',
      level: 'provincial',
      url: `http://127.0.0.1:${provincePort}`,
      parentNodeId: 'cn-100000',
    });
    await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/members/fj-350000/decision',
      payload: { decision: 'approve' },
      ...admin,
    });
    await refreshConfig(province.store.db, testOutbound);
    orgId = (await buildOrganization(province.store.db, { regionCode: '350000' })).id;
  });
  afterAll(async () => {
    await proxy?.down();
    await province?.close();
    await root?.close();
  });

  const searchAtRoot = async (q: string, extra = '') =>
    (
      await root.app.inject({
        method: 'GET',
        url: `/api/v1/catalog/search?q=${encodeURIComponent(q)}${extra}`,
        ...admin,
      })
    ).json() as {
      count: number;
      items: Array<{ code: string; name: string; node?: { nodeId: string }; provider: { id: string } }>;
      facets: Record<string, Array<{ value: string; label: string; count: number }>>;
    };

  it('a resource published at the province is searchable at the root within 5 s, with its node, organisation and facets', async () => {
    const stop = startCatalogReporter(province.store.db, testOutbound, async () => provinceKey.key, 0.5);
    try {
      const published = await buildResource(
        province.store.db,
        orgId,
        { name: '福建企业登记信息' },
        { publish: true },
      );
      const started = Date.now();
      const found = await until(async () => {
        const r = await searchAtRoot('企业登记');
        return r.items.find((i) => i.code === published.code) ? r : undefined;
      });
      expect(Date.now() - started).toBeLessThan(5000);
      const item = found.items.find((i) => i.code === published.code)!;
      expect(item.node?.nodeId).toBe('fj-350000');
      expect(item.provider.id).toBe(orgId);
      expect(found.facets.node).toContainEqual(
        expect.objectContaining({ value: 'fj-350000', label: '福建省节点' }),
      );
      expect(found.facets.region?.map((b) => b.value)).toContain('350000');
      // Filtered by node: the province's entry only under its node.
      expect((await searchAtRoot('企业登记', '&node=fj-350000')).count).toBe(1);
      expect((await searchAtRoot('企业登记', '&node=cn-100000')).count).toBe(0);
      // Visitors see only open entries (this one is shared, not open).
      const anonymous = (
        await root.app.inject({
          method: 'GET',
          url: `/api/v1/catalog/search?q=${encodeURIComponent('企业登记')}`,
        })
      ).json();
      expect(anonymous.items).toHaveLength(0);
    } finally {
      stop();
    }
  });

  it('an update and a retirement propagate; drafts and 不予共享 entries that are not open are never reported', async () => {
    const steward = stewardOf(orgId);
    const r = await buildResource(province.store.db, orgId, { name: '福建社保参保信息' }, { publish: true });
    const draft = await buildResource(province.store.db, orgId, { name: '福建草稿目录' });
    const secret = await buildResource(
      province.store.db,
      orgId,
      { name: '福建保密目录', sharingType: 'not_shared', legalBasis: '《某某法》第十条' },
      { publish: true },
    );
    await report();
    expect((await searchAtRoot('社保参保')).items.map((i) => i.code)).toEqual([r.code]);
    await updateResource(province.store.db, steward, r.code, { name: '福建社保缴费信息' });
    await report();
    expect((await searchAtRoot('社保参保')).count).toBe(0);
    expect((await searchAtRoot('社保缴费')).items.map((i) => i.code)).toEqual([r.code]);
    await retireResource(province.store.db, steward, r.code);
    await report();
    expect((await searchAtRoot('社保缴费')).count).toBe(0);
    expect((await searchAtRoot('草稿目录')).count).toBe(0);
    expect((await searchAtRoot('保密目录')).count).toBe(0);
    const codes = await root.store.db.selectFrom('federation_catalog_entries').select('code').execute();
    expect(codes.map((c) => c.code)).not.toContain(draft.code);
    expect(codes.map((c) => c.code)).not.toContain(secret.code);
    const audited = (await root.store.db.selectFrom('audit_entries').select('entry').execute()).map(
      (e) =>
        JSON.parse(Buffer.from(e.entry).toString('utf8')) as { type: string; data: Record<string, unknown> },
    );
    expect(audited.find((e) => e.type === 'federation.catalog_reported')?.data).toMatchObject({
      nodeId: 'fj-350000',
    });
  });

  it('a batch sent again changes nothing', async () => {
    await buildResource(province.store.db, orgId, { name: '福建重复上报' }, { publish: true });
    const before = await snapshot();
    const batch = await pendingChanges(
      province.store.db,
      'fj-350000',
      0,
      await committedHighWater(province.store.db),
      1000,
    );
    expect(batch.changes.length).toBeGreaterThan(0);
    const first = await send({ nodeId: 'fj-350000', from: 0, to: batch.to, changes: batch.changes });
    expect(first.status).toBe(200);
    const again = await send({ nodeId: 'fj-350000', from: 0, to: batch.to, changes: batch.changes });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ upserted: 0, retired: 0, unchanged: batch.changes.length });
    // The entry published since the last report came in with the first sending; nothing else moved.
    const after = await snapshot();
    expect(after.length).toBe(before.length + 1);
    expect(await snapshot()).toEqual(after);
    await report();
    expect(await snapshot()).toEqual(after);
  });

  it('refuses an unsigned report, one signed with another key, and one not from a child', async () => {
    const body = JSON.stringify({ nodeId: 'fj-350000', from: 0, to: 0, changes: [] });
    const unsigned = await fetch(`${proxy.url()}/api/v1/federation/catalog/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = await send(
      { nodeId: 'fj-350000', from: 0, to: 0, changes: [] },
      { nodeId: 'fj-350000', key: other },
    );
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'federation_signature_invalid',
    );
    // The root itself is a member, but it does not report to itself.
    const rootSigner = { nodeId: 'cn-100000', key: (await loadNodeKey(root.config.HUITONG_DATA_DIR)).key };
    const notChild = await send({ nodeId: 'cn-100000', from: 0, to: 0, changes: [] }, rootSigner);
    expect(notChild.status).toBe(403);
    expect(((await notChild.json()) as { error: { code: string } }).error.code).toBe(
      'federation_catalog_not_own',
    );
  });

  it("refuses, applying nothing, a node claiming another node's organisation or one outside its region", async () => {
    // A second member: a city whose region holds the province's organisation's region code.
    const cityKey = generateKeyPairSync('ed25519').privateKey;
    await root.store.db
      .insertInto('federation_members')
      .values({
        node_id: 'xm-350200',
        region_code: '350200',
        name: '厦门市节点',
        level: 'city',
        parent_node_id: 'cn-100000',
        url: 'http://127.0.0.1:9',
        public_key: rawPublicKey(cityKey).toString('base64'),
        status: 'active',
        requested_at: new Date(),
      })
      .execute();
    await publishConfig(root.store.db, (await loadNodeKey(root.config.HUITONG_DATA_DIR)).key);
    const own = await buildResource(province.store.db, orgId, { name: '厦门自有目录' }, { publish: true });
    const before = await snapshot();
    const batch = await pendingChanges(
      province.store.db,
      'fj-350000',
      0,
      await committedHighWater(province.store.db),
      1000,
    );
    const view = batch.changes.flatMap((c) =>
      c.op === 'upsert' && c.resource.code === own.code ? [c.resource] : [],
    )[0]!;
    const claimed = {
      ...view,
      id: randomUUID(),
      code: `${view.code}9`,
      name: '冒领目录',
      provider: { ...view.provider, regionCode: '350200' },
    };
    const mine = {
      ...view,
      id: randomUUID(),
      code: `${view.code}8`,
      provider: { ...view.provider, id: randomUUID(), regionCode: '350200' },
    };
    const city = { nodeId: 'xm-350200', key: cityKey };
    const refused = await send(
      {
        nodeId: 'xm-350200',
        from: 0,
        to: 2,
        changes: [
          { op: 'upsert', seq: 1, originNodeId: 'xm-350200', resource: mine },
          { op: 'upsert', seq: 2, originNodeId: 'xm-350200', resource: claimed },
        ],
      },
      city,
    );
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'federation_catalog_not_own',
    );
    // Outside its region, and in another node's name.
    for (const change of [
      {
        op: 'upsert',
        seq: 1,
        originNodeId: 'xm-350200',
        resource: { ...mine, provider: { ...mine.provider, regionCode: '330100' } },
      },
      { op: 'upsert', seq: 1, originNodeId: 'fj-350000', resource: mine },
    ]) {
      const answer = await send({ nodeId: 'xm-350200', from: 0, to: 1, changes: [change] }, city);
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'federation_catalog_not_own',
      );
    }
    expect(await snapshot()).toEqual(before);
    expect((await searchAtRoot('冒领目录')).count).toBe(0);
  });

  it('records peer_unreachable while the root is down (its copy stays browsable, marked stale) and catches up when it is back', async () => {
    const before = await buildResource(
      province.store.db,
      orgId,
      { name: '福建断线之前发布' },
      { publish: true },
    );
    await report();
    await proxy.down();
    try {
      const later = await buildResource(
        province.store.db,
        orgId,
        { name: '福建断线期间发布' },
        { publish: true },
      );
      const cursor = (await readReportState(province.store.db)).cursor;
      await expect(report()).rejects.toMatchObject({ code: 'peer_unreachable' });
      const state = await readReportState(province.store.db);
      expect(state).toMatchObject({ lastErrorCode: 'peer_unreachable', cursor });
      // At the root: the copy is still searchable; after the threshold the node shows stale.
      expect((await searchAtRoot('断线之前')).items.map((i) => i.code)).toEqual([before.code]);
      await root.store.db
        .updateTable('federation_catalog_sync')
        .set({ last_synced_at: new Date(Date.now() - 600_000) })
        .execute();
      const nodes = await root.app.inject({
        method: 'GET',
        url: '/api/v1/federation/catalog/nodes',
        ...admin,
      });
      expect(nodes.json().items).toContainEqual(
        expect.objectContaining({ nodeId: 'fj-350000', stale: true }),
      );
      expect((await searchAtRoot('断线期间')).count).toBe(0);
      await proxy.up();
      await report();
      expect((await searchAtRoot('断线期间')).items.map((i) => i.code)).toEqual([later.code]);
      expect(await readReportState(province.store.db)).toMatchObject({ lastErrorCode: null });
      const back = await root.app.inject({
        method: 'GET',
        url: '/api/v1/federation/catalog/nodes',
        ...admin,
      });
      expect(back.json().items).toContainEqual(
        expect.objectContaining({ nodeId: 'fj-350000', stale: false }),
      );
    } finally {
      await proxy.up().catch(() => undefined);
    }
  });

  it('a node whose change sequence stands below its acknowledged cursor (restored from a backup) reports again', async () => {
    await report();
    const cursor = (await readReportState(province.store.db)).cursor;
    await province.store.db
      .updateTable('federation_catalog_report')
      .set({ cursor: cursor + 1_000_000 })
      .execute();
    const r = await buildResource(province.store.db, orgId, { name: '福建恢复之后发布' }, { publish: true });
    await report();
    expect((await searchAtRoot('恢复之后')).items.map((i) => i.code)).toEqual([r.code]);
    expect((await readReportState(province.store.db)).cursor).toBeGreaterThan(cursor + 1_000_000);
  });

  /** The reported entries at the root, as rows to compare. */
  async function snapshot() {
    return root.store.db
      .selectFrom('federation_catalog_entries')
      .select(['origin_node_id', 'resource_id', 'status', 'name', 'seq', 'source_seq'])
      .orderBy('resource_id')
      .execute();
  }

  /** A report sent by hand, signed by the province unless another signer is given. */
  async function send(body: unknown, signer?: { nodeId: string; key: KeyObject }) {
    const bytes = Buffer.from(JSON.stringify(body));
    const url = `${proxy.url()}/api/v1/federation/catalog/report`;
    const headers = await signRequest(signer ?? { nodeId: 'fj-350000', key: provinceKey.key }, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    return fetch(url, { method: 'POST', headers, body: bytes });
  }
});
