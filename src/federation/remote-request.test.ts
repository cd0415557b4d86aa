import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildApplication,
  buildOrganization,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { nationalAndZhejiang, nationalPeople } from '../../test/support/federation.js';
import { type Credentials, loginAs, type TestServer } from '../../test/support/http.js';
import { serviceAvailable, testOutbound } from '../../test/support/services.js';
import type { AuthenticatedActor } from '../identity/index.js';
import { createOutboundPolicy } from '../net/index.js';
import type { AccessRequestView } from '../sharing/index.js';
import {
  activeNode,
  assertConfigCurrent,
  fileRemoteRequest,
  followRemoteRequests,
  loadNodeKey,
  PEER_REQUEST_STATUS_PATH,
  PeerStatusAnswerSchema,
  type RemoteRequestContext,
  type RemoteRequestView,
  readHeldConfig,
  signedExchange,
  signRequest,
} from './index.js';

const up = await serviceAvailable('postgres');

// Cross-node access requests (issue 17, item 4): an analyst of the Zhejiang node applies, from
// Zhejiang, for a 有条件共享 resource the national node provides. The request reaches the
// national node's steward as a local one; the steward approves part of the items or refuses with a
// coded reason; Zhejiang's list shows the decision, and the application's cross-node read then
// returns the granted items only. Forged requests and an organisation outside Zhejiang are refused.
describe.skipIf(!up)('cross-node access requests (two nodes)', () => {
  let national: TestServer;
  let zhejiang: TestServer;
  let nationalUrl: string;
  let steward: Credentials;
  let analyst: Credentials;
  let stray: Credentials;
  let people: Awaited<ReturnType<typeof nationalPeople>>;
  let conditional: string;
  let applicationId: string;
  let otherApplicationId: string;
  let strayApplicationId: string;
  let key: string;
  let personName: string;
  let analystActor: AuthenticatedActor;

  const until = () => new Date(Date.now() + 90 * 86_400_000).toISOString();
  const apply = (who: Credentials, appId: string, items = ['姓名', '身份证号', '区划']) =>
    zhejiang.app.inject({
      method: 'POST',
      url: '/api/v1/federation/remote-requests',
      headers: who.headers,
      payload: {
        providerNodeId: 'cn-100000',
        resourceCode: conditional,
        applicationId: appId,
        items,
        purpose: '跨省通办：核验申请人身份',
        legalBasis: '《政务数据共享条例》第十条',
        validUntil: until(),
      },
    });
  const list = async () => {
    const listed = await zhejiang.app.inject({
      method: 'GET',
      url: '/api/v1/federation/remote-requests',
      headers: analyst.headers,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    return listed.json().items as RemoteRequestView[];
  };
  const read = () =>
    zhejiang.app.inject({
      method: 'GET',
      url: `/api/v1/federation/nodes/cn-100000/resources/${conditional}/rows?limit=2`,
      headers: { authorization: `Bearer ${key}` },
    });
  const following = (): RemoteRequestContext => ({
    db: zhejiang.store.db,
    audit: zhejiang.audit,
    outbound: testOutbound,
    signer: async () => ({
      nodeId: 'zj-330000',
      key: (await loadNodeKey(zhejiang.config.HUITONG_DATA_DIR)).key,
    }),
  });
  const todo = async () =>
    (
      await national.app.inject({
        method: 'GET',
        url: '/api/v1/access-requests?scope=todo',
        headers: steward.headers,
      })
    ).json().items as AccessRequestView[];

  beforeAll(async () => {
    ({ national, zhejiang, nationalUrl } = await nationalAndZhejiang());

    // The national node's 有条件共享 resource, people in a PostgreSQL table.
    people = await nationalPeople(national, 5, [
      { sharingType: 'conditional', sharingMethods: ['api'], grade: 'general' },
    ]);
    steward = people.steward;
    conditional = people.codes[0]!;

    // Zhejiang: the bureau, its analyst, its application (with a key) and a second application.
    const bureau = await buildOrganization(zhejiang.store.db, {
      name: '浙江省人力资源和社会保障厅',
      level: 'provincial',
      regionCode: '330000',
    });
    const person = await buildUser(zhejiang.store.db, { orgId: bureau.id, roles: ['analyst'] });
    personName = person.displayName;
    analystActor = {
      kind: 'user',
      userId: person.id,
      orgId: bureau.id,
      username: person.username,
      roles: ['analyst'],
    };
    analyst = await loginAs(zhejiang.app, person.username, TEST_PASSWORD);
    const withKey = await buildApiKey(zhejiang.store.db, bureau.id);
    key = withKey.key;
    applicationId = withKey.application.id;
    otherApplicationId = (await buildApplication(zhejiang.store.db, bureau.id)).id;
    // An organisation of Fujian registered on the Zhejiang node: Zhejiang does not speak for it.
    const fujian = await buildOrganization(zhejiang.store.db, { name: '福建省某厅', regionCode: '350000' });
    stray = await loginAs(
      zhejiang.app,
      (await buildUser(zhejiang.store.db, { orgId: fujian.id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    strayApplicationId = (await buildApplication(zhejiang.store.db, fujian.id)).id;
  }, 180_000);

  afterAll(async () => {
    await zhejiang?.close();
    await national?.close();
    await people?.drop();
  });

  it('files the request with the provider’s steward, who approves part of it; the grant then governs the read', async () => {
    expect((await read()).json().error.code).toBe('no_grant');
    const filed = await apply(analyst, applicationId);
    expect(filed.statusCode, filed.body).toBe(201);
    const mine = filed.json();
    expect(mine).toMatchObject({
      providerNodeId: 'cn-100000',
      // Named from the configuration held; Zhejiang holds no catalog entry of its parent's.
      providerNodeName: '国家节点',
      resourceCode: conditional,
      resourceName: null,
      applicationId,
      status: 'pending',
      decision: null,
      items: ['姓名', '身份证号', '区划'],
    });
    const sent = await zhejiang.audit.entries(
      { type: 'federation.remote_request_sent' },
      { limit: 5 },
      'desc',
    );
    expect(sent.items[0]?.data).toMatchObject({ remoteRequestId: mine.id, provider: 'cn-100000' });

    // The national steward's usual review list: the applicant is Zhejiang's organisation and person.
    const waiting = (await todo()).find((r) => r.id === mine.providerRequestId);
    expect(waiting?.status).toBe('pending');
    expect(waiting?.applicant.organization.name).toContain('浙江省人力资源和社会保障厅');
    expect(waiting?.applicant.organization.name).toContain('浙江省节点');
    expect(waiting?.applicant.person).toMatchObject({ displayName: personName });
    const created = await national.audit.entries({ type: 'access_request.created' }, { limit: 5 }, 'desc');
    expect(created.items[0]?.data).toMatchObject({
      accessRequestId: mine.providerRequestId,
      node: 'zj-330000',
    });
    // Still pending: no grant, and the list says so after asking.
    expect((await list()).find((r) => r.id === mine.id)).toMatchObject({
      status: 'pending',
      checkError: null,
    });

    const approved = await national.app.inject({
      method: 'POST',
      url: `/api/v1/access-requests/${mine.providerRequestId}/approve`,
      headers: steward.headers,
      payload: { items: [{ name: '姓名' }, { name: '区划' }], comment: '身份证号不予提供' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().request.status).toBe('partially_approved');

    const told = (await list()).find((r) => r.id === mine.id);
    expect(told?.status).toBe('partially_approved');
    expect(told?.decision?.grant?.items.map((i) => i.name)).toEqual(['姓名', '区划']);
    expect(told?.decision?.rejection).toBeNull();
    const logged = await zhejiang.audit.entries(
      { type: 'federation.remote_request_decided' },
      { limit: 5 },
      'desc',
    );
    expect(logged.items[0]?.data).toMatchObject({ remoteRequestId: mine.id, status: 'partially_approved' });

    // The application reads through its node, under that grant: the granted items only.
    const page = await read();
    expect(page.statusCode, page.body).toBe(200);
    const rows = page.json().rows as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveProperty('xm');
      expect(row).toHaveProperty('qh');
      expect(row).not.toHaveProperty('sfzh');
    }
  });

  it('shows a refusal with its coded reason on the consumer’s side', async () => {
    const filed = await apply(analyst, otherApplicationId, ['身份证号']);
    expect(filed.statusCode, filed.body).toBe(201);
    const mine = filed.json();
    const rejected = await national.app.inject({
      method: 'POST',
      url: `/api/v1/access-requests/${mine.providerRequestId}/reject`,
      headers: steward.headers,
      payload: { reason: 'excessive_items', text: '身份证号超出核验所需' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    // The follower learns it without anyone looking at the list.
    expect(await followRemoteRequests(following())).toBe(1);
    expect(await followRemoteRequests(following())).toBe(0);
    const told = (await list()).find((r) => r.id === mine.id);
    expect(told).toMatchObject({
      status: 'rejected',
      decision: { grant: null, rejection: { reason: 'excessive_items', text: '身份证号超出核验所需' } },
    });
  });

  it('refuses an organisation outside the node’s region, and another organisation’s application', async () => {
    const before = (await list()).length;
    const outside = await apply(stray, strayApplicationId);
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().error.code).toBe('federation_org_outside_node');
    const foreign = await apply(analyst, strayApplicationId);
    expect(foreign.statusCode, foreign.body).toBe(404);
    expect((await list()).length).toBe(before);
  });

  it('refuses unsigned and forged peer requests', async () => {
    const url = `${nationalUrl}/api/v1/federation/peer/access-requests`;
    const body = Buffer.from(JSON.stringify({ remoteRequestId: crypto.randomUUID() }));
    const unsigned = await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/peer/access-requests',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(unsigned.statusCode, unsigned.body).toBeGreaterThanOrEqual(400);
    expect(unsigned.json().error.code).toBe('federation_signature_invalid');
    // Signed with a key that is not Zhejiang's, under Zhejiang's name.
    const { privateKey } = generateKeyPairSync('ed25519');
    const headers = await signRequest(
      { nodeId: 'zj-330000', key: privateKey },
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    );
    const forged = await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/peer/access-requests',
      headers,
      payload: body,
    });
    expect(forged.json().error.code).toBe('federation_signature_invalid');
    // The status route too: a node reads the status of the requests it filed only.
    const status = await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/peer/access-requests/status',
      headers: { 'content-type': 'application/json' },
      payload: { remoteRequestIds: [crypto.randomUUID()] },
    });
    expect(status.json().error.code).toBe('federation_signature_invalid');
  });

  it('sends again a request the provider could not be reached for, and files it once', async () => {
    // This node's outbound policy refuses the provider's (loopback) address: the request waits.
    const cut = { ...following(), outbound: createOutboundPolicy({ allow: [] }) };
    const waiting = await fileRemoteRequest(
      cut,
      analystActor,
      {
        providerNodeId: 'cn-100000',
        resourceCode: conditional,
        applicationId: otherApplicationId,
        items: ['姓名'],
        purpose: '补充申请',
        legalBasis: '《政务数据共享条例》第十条',
        validUntil: until(),
      },
      'test-request',
    );
    expect(waiting).toMatchObject({
      status: 'sending',
      providerRequestId: null,
      checkError: expect.any(String),
    });
    const before = (await todo()).length;
    await followRemoteRequests(following());
    const sent = (await list()).find((r) => r.id === waiting.id);
    expect(sent).toMatchObject({
      status: 'pending',
      providerRequestId: expect.any(String),
      checkError: null,
    });
    expect((await todo()).length).toBe(before + 1);
    // Its answer lost: sent again, the provider answers the request it already filed.
    await zhejiang.store.db
      .updateTable('federation_remote_requests')
      .set({ status: 'sending', provider_request_id: null })
      .where('id', '=', waiting.id)
      .execute();
    await followRemoteRequests(following());
    expect((await list()).find((r) => r.id === waiting.id)?.providerRequestId).toBe(sent?.providerRequestId);
    expect((await todo()).length).toBe(before + 1);
  });

  it('answers a node about the requests it filed only', async () => {
    const filed = await apply(analyst, otherApplicationId, ['区划']);
    const mine = filed.json();
    // Filed, as far as the national node knows, by another node.
    await national.store.db
      .updateTable('federation_peer_requests')
      .set({ node_id: 'fj-350000' })
      .where('access_request_id', '=', mine.providerRequestId)
      .execute();
    const config = assertConfigCurrent((await readHeldConfig(zhejiang.store.db))?.config);
    const provider = activeNode(config, 'cn-100000');
    const answer = await signedExchange(
      following(),
      config,
      provider,
      PEER_REQUEST_STATUS_PATH,
      { remoteRequestIds: [mine.id] },
      { status: 200, schema: PeerStatusAnswerSchema },
    );
    expect(answer.requests).toEqual([]);
  });

  it('keeps requests pending with the error when the provider is down, and a new one waits to be sent', async () => {
    await national.app.close();
    const stuck = (await list()).filter((r) => r.status === 'pending');
    expect(stuck.length).toBeGreaterThan(0);
    for (const r of stuck) expect(r.checkError).toEqual(expect.any(String));
    // Recorded, and sent again until the provider files it.
    const down = await apply(analyst, applicationId);
    expect(down.statusCode, down.body).toBe(202);
    expect(down.json()).toMatchObject({ status: 'sending', providerRequestId: null });
    expect((await list()).find((r) => r.id === down.json().id)?.checkError).toContain('cannot be reached');
  });
});
