import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FederationPair, openFederationPair } from '../../test/support/federation-pair.js';
import type { Credentials, TestServer } from '../../test/support/http.js';
import { serviceAvailable } from '../../test/support/services.js';
import { sha256Hex } from './index.js';

const up = await serviceAvailable('postgres');

// Cross-node reads (issue 17, items 4 and 6: 回流): the national node provides a resource; an
// application of the Zhejiang node reads it through its own node. The national node enforces its
// grant (items, masks) and logs the release; Zhejiang logs the national node's signed receipt;
// both name the same SHA-256. A node naming an organisation outside its region, a suspended node
// and a provider that is down are refused.
describe.skipIf(!up)('cross-node reads with receipts (two nodes)', () => {
  let national: TestServer;
  let zhejiang: TestServer;
  let pair: FederationPair;
  let admin: Credentials;
  let code: string;
  let conditional: string;
  let key: string;
  let stray: string;

  const read = (what: string, apiKey = key, query = '') =>
    zhejiang.app.inject({
      method: 'GET',
      url: `/api/v1/federation/nodes/cn-100000/resources/${what}/rows${query}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });

  beforeAll(async () => {
    pair = await openFederationPair();
    ({ national, zhejiang, admin, code, conditional, key, stray } = pair);
  }, 180_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('reads a national resource through the national node’s pipeline, and both logs hold the exchange', async () => {
    const answer = await read(code, key, '?limit=3');
    expect(answer.statusCode, answer.body).toBe(200);
    const page = answer.json() as {
      resource: string;
      rows: Record<string, string>[];
      nextCursor: string | null;
    };
    expect(page.resource).toBe(code);
    expect(page.rows).toHaveLength(3);
    expect(page.nextCursor).not.toBeNull();
    // The national node's masks: the ID number shows its region and last four only.
    for (const row of page.rows) expect(row.sfzh).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);

    // Zhejiang's log: the receipt, for the very bytes its application received.
    const mine = await zhejiang.audit.entries({ type: 'federation.receipt' }, { limit: 10 }, 'desc');
    const entry = mine.items[0];
    expect(entry?.data).toMatchObject({
      provider: 'cn-100000',
      resource: code,
      rows: 3,
      sha256: sha256Hex(answer.body),
    });
    const receipt = entry?.data.receipt as {
      logIndex: number;
      completeIndex: number;
      requestId: string;
      checkpoint: { treeSize: number };
    };
    // The national node's log: the release entries the receipt points at, with the same SHA-256.
    const start = await national.audit.entry(receipt.logIndex);
    expect(start).toMatchObject({
      type: 'data.release.start',
      requestId: receipt.requestId,
      resources: [code],
    });
    expect(start?.actor.orgId).toBeTruthy();
    const complete = await national.audit.entry(receipt.completeIndex);
    expect(complete).toMatchObject({ type: 'data.release.complete', ref: receipt.logIndex });
    expect(complete?.data).toMatchObject({ rows: 3, sha256: sha256Hex(answer.body) });
    // The provider's latest signed checkpoint at the time; the release is proven included in a
    // later one with an inclusion proof.
    const later = (await national.audit.checkpoint()) ?? (await national.audit.latestCheckpoint());
    expect(later?.treeSize).toBeGreaterThan(receipt.completeIndex);
    const proof = await national.app.inject({
      url: `/api/v1/audit/proof/inclusion?index=${receipt.logIndex}&size=${later?.treeSize}`,
    });
    expect(proof.statusCode, proof.body).toBe(200);

    // The reader is on record at the national node as Zhejiang's organisation, named with its node.
    const mirrored = await national.store.db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', start?.actor.orgId as string)
      .executeTakeFirstOrThrow();
    expect(mirrored.name).toContain('浙江省人力资源和社会保障厅');
    expect(mirrored.name).toContain('浙江省节点');
  });

  it('passes the national node’s refusal on: no grant for a conditional resource, nothing released', async () => {
    const before = (await zhejiang.audit.entries({ type: 'federation.receipt' }, { limit: 100 })).items
      .length;
    const refused = await read(conditional);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('no_grant');
    expect((await zhejiang.audit.entries({ type: 'federation.receipt' }, { limit: 100 })).items.length).toBe(
      before,
    );
  });

  it('refuses an organisation the node does not speak for, a person, and an unknown node', async () => {
    const stranger = await read(code, stray);
    expect(stranger.statusCode, stranger.body).toBe(403);
    expect(stranger.json().error.code).toBe('federation_org_outside_node');
    const nobody = await zhejiang.app.inject({
      method: 'GET',
      url: `/api/v1/federation/nodes/cn-100000/resources/${code}/rows`,
    });
    expect(nobody.statusCode).toBe(401);
    const unknown = await zhejiang.app.inject({
      method: 'GET',
      url: `/api/v1/federation/nodes/gd-440000/resources/${code}/rows`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(unknown.json().error.code).toBe('federation_node_unknown');
  });

  it('refuses a read signed by a suspended node, before its own copy of the configuration knows', async () => {
    const suspended = await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/members/zj-330000/status',
      payload: { status: 'suspended' },
      ...admin,
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const refused = await read(code);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('federation_node_not_active');
    await national.app.inject({
      method: 'POST',
      url: '/api/v1/federation/members/zj-330000/status',
      payload: { status: 'active' },
      ...admin,
    });
    expect((await read(code)).statusCode).toBe(200);
  });

  it('answers peer_unreachable when the provider node is down', async () => {
    await national.app.close();
    const down = await read(code);
    expect(down.statusCode, down.body).toBe(502);
    expect(down.json().error.code).toBe('peer_unreachable');
  });
});
