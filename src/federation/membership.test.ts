import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { testOutbound } from '../../test/support/services.js';
import { describeEachStore } from '../../test/support/store.js';
import {
  initRoot,
  joinFederation,
  loadNodeKey,
  readHeldConfig,
  refreshConfig,
  signRequest,
} from './index.js';

async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

const zhejiang = (url: string) => ({
  nodeId: 'zj-330000',
  regionCode: '330000',
  name: '浙江省节点',
  level: 'provincial' as const,
  url,
  parentNodeId: 'cn-100000',
});

describeEachStore('federation membership (two nodes)', (kind) => {
  let root: TestServer;
  let member: TestServer;
  let rootUrl: string;
  let memberUrl: string;
  let admin: Credentials;

  beforeAll(async () => {
    root = await openTestServer(kind);
    member = await openTestServer(kind);
    rootUrl = await listen(root);
    memberUrl = await listen(member);
    const key = await loadNodeKey(root.config.HUITONG_DATA_DIR);
    await initRoot(root.store.db, key, '测试联邦', {
      nodeId: 'cn-100000',
      regionCode: '100000',
      name: '国家节点',
      level: 'national',
      url: rootUrl,
    });
    const user = await buildUser(root.store.db, { roles: ['platform_admin'] });
    admin = await loginAs(root.app, user.username, TEST_PASSWORD);
  });
  afterAll(async () => {
    await member?.close();
    await root?.close();
  });

  const token = async () => {
    const issued = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/join-tokens',
      payload: {},
      ...admin,
    });
    expect(issued.statusCode).toBe(201);
    return issued.json().token as string;
  };

  it('the root serves its signed configuration to anyone; a member is refused membership operations', async () => {
    const served = await fetch(`${rootUrl}/api/v1/federation/config`);
    expect(served.status).toBe(200);
    const signed = (await served.json()) as { config: { nodes: unknown[] } };
    expect(signed.config).toMatchObject({ version: 1, rootNodeId: 'cn-100000' });
    expect(signed.config.nodes).toHaveLength(1);
    const analyst = await buildUser(root.store.db, { roles: ['analyst'] });
    const as = await loginAs(root.app, analyst.username, TEST_PASSWORD);
    const refused = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/join-tokens',
      payload: {},
      ...as,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('a node joins with a token, is pending until approved, then holds the configuration that lists it; the token is spent', async () => {
    const t = await token();
    const key = await loadNodeKey(member.config.HUITONG_DATA_DIR);
    const joined = await joinFederation(member.store.db, testOutbound, key, rootUrl, t, zhejiang(memberUrl));
    expect(joined.status).toBe('pending');
    const members = await root.app.inject({ method: 'GET', url: '/api/v1/federation/members', ...admin });
    expect(members.json().items[0]).toMatchObject({ nodeId: 'zj-330000', status: 'pending' });
    const decided = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/members/zj-330000/decision',
      payload: { decision: 'approve' },
      ...admin,
    });
    expect(decided.json()).toMatchObject({ status: 'active', configVersion: 2 });
    expect(await refreshConfig(member.store.db, testOutbound)).toBe(true);
    const held = await readHeldConfig(member.store.db);
    expect(held?.config.version).toBe(2);
    expect(held?.config.nodes.find((n) => n.nodeId === 'zj-330000')).toMatchObject({
      status: 'active',
      publicKey: key.publicKey,
    });
    // The token cannot be used twice.
    const again = await signedJoin(t, 'hz-330100');
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
      'federation_join_token_invalid',
    );
  });

  it('a suspension is published and reaches the member at its next fetch; audit entries record each step', async () => {
    const suspended = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/members/zj-330000/status',
      payload: { status: 'suspended' },
      ...admin,
    });
    expect(suspended.json()).toMatchObject({ status: 'suspended', configVersion: 3 });
    await refreshConfig(member.store.db, testOutbound);
    const held = await readHeldConfig(member.store.db);
    expect(held?.config.nodes.find((n) => n.nodeId === 'zj-330000')?.status).toBe('suspended');
    const types = (await root.store.db.selectFrom('audit_entries').select('entry').execute()).map(
      (r) => (JSON.parse(Buffer.from(r.entry).toString('utf8')) as { type: string }).type,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'federation.join_token_issued',
        'federation.join_requested',
        'federation.join_decided',
        'federation.member_status_changed',
      ]),
    );
  });

  it('refuses a join request not signed by the key it declares, and one without a valid token', async () => {
    const forged = await signedJoin(await token(), 'nb-330200', { forgeKey: true });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'federation_signature_invalid',
    );
    const noToken = await signedJoin('not-a-token.0000', 'nb-330200');
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe(
      'federation_join_token_invalid',
    );
    const malformed = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/join-requests',
      payload: { token: 'x' },
    });
    expect(errorCode(malformed)).toBe('bad_request');
    const notJson = await root.app.inject({
      method: 'POST',
      url: '/api/v1/federation/join-requests',
      headers: { 'content-type': 'application/json' },
      payload: '{"token":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(errorCode(notJson)).toBe('bad_request');
  });

  /** A join request for `nodeId` sent by hand; with forgeKey, it declares one key and signs with another. */
  async function signedJoin(t: string, nodeId: string, options: { forgeKey?: boolean } = {}) {
    const declared = await loadNodeKey(member.config.HUITONG_DATA_DIR);
    const signing = options.forgeKey ? await loadNodeKey(root.config.HUITONG_DATA_DIR) : declared;
    const body = Buffer.from(
      JSON.stringify({ token: t, node: { ...zhejiang(memberUrl), nodeId, publicKey: declared.publicKey } }),
    );
    const url = `${rootUrl}/api/v1/federation/join-requests`;
    const headers = await signRequest(
      { nodeId, key: signing.key },
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    );
    return fetch(url, { method: 'POST', headers, body });
  }
});
