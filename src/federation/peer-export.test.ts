import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FederationPair, openFederationPair } from '../../test/support/federation-pair.js';
import type { TestServer } from '../../test/support/http.js';
import { serviceAvailable } from '../../test/support/services.js';
import { peopleRows } from '../../test/support/source-data.js';
import { loadNodeKey, readHeldConfig, servePeerExport, sha256Hex } from './index.js';

const up = await serviceAvailable('postgres');

// Cross-node exports and verification (issue 17 item 4): an application of the Zhejiang node
// exports a national resource as a file, and checks claims against it (核验), through its own
// node. The national node makes the file and the answer under its grant and logs the release;
// Zhejiang logs the national node's signed receipt; both name the SHA-256 of the bytes received.
describe.skipIf(!up)('cross-node exports and verification with receipts (two nodes)', () => {
  let national: TestServer;
  let zhejiang: TestServer;
  let pair: FederationPair;
  let code: string;
  let conditional: string;
  let key: string;
  const [name, idNumber] = peopleRows(5)[0]!;

  const exported = (what: string, query: string) =>
    zhejiang.app.inject({
      method: 'GET',
      url: `/api/v1/federation/nodes/cn-100000/resources/${what}/rows?${query}`,
      headers: { authorization: `Bearer ${key}` },
    });
  const verify = (what: string, payload: Record<string, unknown>) =>
    zhejiang.app.inject({
      method: 'POST',
      url: `/api/v1/federation/nodes/cn-100000/resources/${what}/verify`,
      headers: { authorization: `Bearer ${key}` },
      payload,
    });
  const receipts = async () =>
    (await zhejiang.audit.entries({ type: 'federation.receipt' }, { limit: 100 }, 'desc')).items;

  // The provider's release entries a receipt logged on Zhejiang points at.
  async function providerEntries(entry: { data: Record<string, unknown> } | undefined) {
    const receipt = entry?.data.receipt as { logIndex: number; completeIndex: number; requestId: string };
    const start = await national.audit.entry(receipt.logIndex);
    const complete = await national.audit.entry(receipt.completeIndex);
    expect(start).toMatchObject({
      type: 'data.release.start',
      requestId: receipt.requestId,
      resources: [code],
    });
    expect(complete).toMatchObject({ type: 'data.release.complete', ref: receipt.logIndex });
    return { start, complete };
  }

  beforeAll(async () => {
    pair = await openFederationPair();
    ({ national, zhejiang, code, conditional, key } = pair);
  }, 180_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('exports a CSV through the national node’s pipeline, masked, and both logs hold its SHA-256', async () => {
    const answer = await exported(code, 'format=csv');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${code}.csv`);
    const [header, ...lines] = answer.body.trim().split(/\r?\n/);
    const columns = header?.split(',') ?? [];
    expect(columns).toContain('sfzh');
    expect(lines).toHaveLength(5);
    // The national node's masks: the ID number shows its region and last four only.
    for (const line of lines)
      expect(line.split(',')[columns.indexOf('sfzh')]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(answer.body).not.toContain(idNumber);

    const sha256 = sha256Hex(answer.rawPayload);
    const [entry] = await receipts();
    expect(entry?.data).toMatchObject({
      provider: 'cn-100000',
      resource: code,
      kind: 'export',
      format: 'csv',
      rows: 5,
      bytes: answer.rawPayload.length,
      sha256,
    });
    const { start, complete } = await providerEntries(entry);
    expect(start?.data).toMatchObject({ format: 'csv' });
    expect(complete?.data).toMatchObject({ rows: 5, sha256, status: 'complete' });
  });

  it('exports an XLSX file byte for byte as the national node released it', async () => {
    const answer = await exported(code, 'format=xlsx&limit=2');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(answer.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const [entry] = await receipts();
    expect(entry?.data).toMatchObject({ format: 'xlsx', rows: 2, sha256: sha256Hex(answer.rawPayload) });
    const { complete } = await providerEntries(entry);
    expect(complete?.data).toMatchObject({ sha256: sha256Hex(answer.rawPayload) });
  });

  it('verifies a claim against the national record: a match and a mismatch, each with its receipt', async () => {
    const match = await verify(code, { values: { 身份证号: idNumber, 姓名: name } });
    expect(match.statusCode, match.body).toBe(200);
    expect(match.json()).toEqual({ match: true });
    const [matched] = await receipts();
    expect(matched?.data).toMatchObject({
      kind: 'verify',
      resource: code,
      sha256: sha256Hex(match.rawPayload),
    });
    const { start, complete } = await providerEntries(matched);
    expect(start?.data).toMatchObject({ format: 'verification' });
    // The provider logs keyed digests of the claim, never the claim.
    expect(JSON.stringify(start)).not.toContain(idNumber);
    expect(complete?.data).toMatchObject({ sha256: sha256Hex(match.rawPayload) });

    const mismatch = await verify(code, { values: { 身份证号: idNumber, 姓名: '某某某' } });
    expect(mismatch.statusCode, mismatch.body).toBe(200);
    expect(mismatch.json()).toEqual({ match: false });
    const [missed] = await receipts();
    expect(missed?.data).toMatchObject({ kind: 'verify', sha256: sha256Hex(mismatch.rawPayload) });
    expect((await providerEntries(missed)).complete?.data).toMatchObject({
      sha256: sha256Hex(mismatch.rawPayload),
    });
  });

  it('passes the national node’s refusals on, with nothing logged as received', async () => {
    const before = (await receipts()).length;
    const file = await exported(conditional, 'format=csv');
    expect(file.statusCode, file.body).toBe(403);
    expect(file.json().error.code).toBe('no_grant');
    const claim = await verify(conditional, { values: { 身份证号: idNumber } });
    expect(claim.statusCode, claim.body).toBe(403);
    expect(claim.json().error.code).toBe('no_grant');
    const unknown = await verify(code, { values: { 不存在的信息项: '1' } });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_item');
    expect((await receipts()).length).toBe(before);
  });

  it('cuts an export over the size cap: export_too_large, its release completed as aborted', async () => {
    const held = await readHeldConfig(national.store.db);
    const sender = held?.config.nodes.find((n) => n.nodeId === 'zj-330000');
    if (!sender) throw new Error('Zhejiang is a member');
    const asked = {
      org: { id: 'o-cap', name: '浙江省某局', kind: 'department', level: 'provincial', regionCode: '330000' },
      application: { id: 'a-cap', name: '导出应用' },
      resourceCode: code,
      query: { format: 'csv' },
    };
    const self = { nodeId: 'cn-100000', key: (await loadNodeKey(national.config.HUITONG_DATA_DIR)).key };
    await expect(
      servePeerExport(national.query, self, sender, Buffer.from(JSON.stringify(asked)), '127.0.0.1', 100),
    ).rejects.toMatchObject({ status: 413, code: 'export_too_large' });
    const [last] = (await national.audit.entries({ type: 'data.release.complete' }, { limit: 1 }, 'desc'))
      .items;
    expect(last?.data).toMatchObject({ status: 'aborted' });
  });

  it('answers peer_unreachable when the provider node is down', async () => {
    await national.app.close();
    const file = await exported(code, 'format=csv');
    expect(file.statusCode, file.body).toBe(502);
    expect(file.json().error.code).toBe('peer_unreachable');
    const claim = await verify(code, { values: { 身份证号: idNumber } });
    expect(claim.statusCode, claim.body).toBe(502);
    expect(claim.json().error.code).toBe('peer_unreachable');
  });
});
