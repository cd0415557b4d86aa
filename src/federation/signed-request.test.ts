import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rawPublicKey } from '../audit/index.js';
import type { AppError } from '../errors/index.js';
import { type FederationConfig, FederationConfigSchema } from './config-schema.js';
import {
  memoryNonceCache,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from './signed-request.js';

const keys = {
  national: generateKeyPairSync('ed25519').privateKey,
  zhejiang: generateKeyPairSync('ed25519').privateKey,
  fujian: generateKeyPairSync('ed25519').privateKey,
};

/** Three nodes; Fujian's status as given. */
function buildConfig(fujian: 'active' | 'suspended' | 'revoked' = 'active'): FederationConfig {
  const node = (nodeId: string, regionCode: string, key: keyof typeof keys, status = 'active') => ({
    nodeId,
    regionCode,
    name: nodeId,
    level: key === 'national' ? 'national' : 'provincial',
    parentNodeId: key === 'national' ? null : 'cn-100000',
    url: `https://${nodeId}.example.gov.cn`,
    publicKey: rawPublicKey(keys[key]).toString('base64'),
    status,
  });
  return FederationConfigSchema.parse({
    federation: 'test',
    version: 1,
    issuedAt: '2026-12-06T00:00:00.000Z',
    expiresAt: '2027-01-06T00:00:00.000Z',
    rootNodeId: 'cn-100000',
    nodes: [
      node('cn-100000', '100000', 'national'),
      node('zj-330000', '330000', 'zhejiang'),
      node('fj-350000', '350000', 'fujian', fujian),
    ],
  });
}

const target = 'https://fj-350000.example.gov.cn/api/v1/federation/rows?resource=R1';
const body = Buffer.from(JSON.stringify({ limit: 10, fields: ['姓名'] }));
const zhejiang = { nodeId: 'zj-330000', key: keys.zhejiang };

async function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'accepted',
    (e: AppError) => e.code ?? String(e),
  );
}

describe('signed node-to-node requests (RFC 9421, Ed25519)', () => {
  it('a request signed by an active member verifies once; its replay, a changed body or target, and a stale one do not', async () => {
    const config = buildConfig();
    const nonces = memoryNonceCache();
    const headers = await signRequest(zhejiang, { method: 'POST', url: target, body });
    expect(headers['content-digest']).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    expect(headers['signature-input']).toMatch(
      /^huitong=\("@method" "@target-uri" "content-digest"\);created=\d+;nonce="[^"]+";keyid="zj-330000";alg="ed25519"$/,
    );
    const sender = await verifyRequest(
      { method: 'POST', targetUri: target, headers, body },
      { config, nonces },
    );
    expect(sender.nodeId).toBe('zj-330000');
    expect(
      await refusal(verifyRequest({ method: 'POST', targetUri: target, headers, body }, { config, nonces })),
    ).toBe('federation_request_replayed');
    const fresh = () => signRequest(zhejiang, { method: 'POST', url: target, body });
    const check = async (over: Partial<{ method: string; targetUri: string; body: Buffer; now: Date }>) =>
      refusal(
        verifyRequest(
          {
            method: over.method ?? 'POST',
            targetUri: over.targetUri ?? target,
            headers: await fresh(),
            body: over.body ?? body,
          },
          { config, nonces: memoryNonceCache(), now: over.now },
        ),
      );
    expect(await check({ body: Buffer.from('{"limit":1000000}') })).toBe('federation_signature_invalid');
    expect(await check({ targetUri: `${target}&resource=R2` })).toBe('federation_signature_invalid');
    expect(await check({ method: 'DELETE' })).toBe('federation_signature_invalid');
    expect(await check({ now: new Date(Date.now() + 301_000) })).toBe('federation_request_stale');
    expect(await check({ now: new Date(Date.now() - 301_000) })).toBe('federation_request_stale');
    expect(await check({ now: new Date(Date.now() + 250_000) })).toBe('accepted');
  });

  it('refuses a node outside the configuration, a suspended one, a forged keyid and a second signature', async () => {
    const nonces = memoryNonceCache();
    const fujian = { nodeId: 'fj-350000', key: keys.fujian };
    const send = async (signer: { nodeId: string; key: typeof keys.fujian }, config: FederationConfig) =>
      refusal(
        verifyRequest(
          {
            method: 'GET',
            targetUri: target,
            headers: await signRequest(signer, { method: 'GET', url: target }),
            body: Buffer.alloc(0),
          },
          { config, nonces },
        ),
      );
    expect(await send({ nodeId: 'gd-440000', key: keys.fujian }, buildConfig())).toBe(
      'federation_node_unknown',
    );
    expect(await send(fujian, buildConfig('suspended'))).toBe('federation_node_not_active');
    expect(await send(fujian, buildConfig('revoked'))).toBe('federation_node_not_active');
    // Fujian's key, Zhejiang's name.
    expect(await send({ nodeId: 'zj-330000', key: keys.fujian }, buildConfig())).toBe(
      'federation_signature_invalid',
    );
    const one = await signRequest(zhejiang, { method: 'GET', url: target });
    const two = await signRequest(fujian, { method: 'GET', url: target });
    const doubled = {
      ...one,
      'signature-input': `${one['signature-input']}, other=${two['signature-input']?.slice('huitong='.length)}`,
      signature: `${one.signature}, other=${two.signature?.slice('huitong='.length)}`,
    };
    expect(
      await refusal(
        verifyRequest(
          { method: 'GET', targetUri: target, headers: doubled, body: Buffer.alloc(0) },
          { config: buildConfig(), nonces },
        ),
      ),
    ).toBe('federation_signature_invalid');
  });

  it('a data response is signed by the node asked and bound to the request it answers', async () => {
    const config = buildConfig();
    const fujian = { nodeId: 'fj-350000', key: keys.fujian };
    const data = Buffer.from('{"rows":[["张*"]]}');
    // The request as Zhejiang sent it: its body (the page asked) travels under its digest.
    const asked = Buffer.from('{"cursor":"page-2"}');
    const sent = await signRequest(zhejiang, { method: 'POST', url: target, body: asked });
    const request = { method: 'POST', url: target, headers: sent };
    const headers = await signResponse(fujian, { status: 200, body: data }, request);
    await verifyResponse({ status: 200, headers, body: data }, request, { config, from: 'fj-350000' });
    // Another request on the same route (another page asked): the answer is not its answer.
    const other = await signRequest(zhejiang, {
      method: 'POST',
      url: target,
      body: Buffer.from('{"cursor":"page-3"}'),
    });
    const check = (
      over: Partial<{
        status: number;
        body: Buffer;
        url: string;
        from: string;
        sent: Record<string, string>;
      }>,
    ) =>
      refusal(
        verifyResponse(
          { status: over.status ?? 200, headers, body: over.body ?? data },
          { method: 'POST', url: over.url ?? target, headers: over.sent ?? sent },
          { config, from: over.from ?? 'fj-350000' },
        ),
      );
    expect(await check({ sent: other })).toBe('federation_signature_invalid');
    expect(await check({ body: Buffer.from('{"rows":[["张三"]]}') })).toBe('federation_signature_invalid');
    expect(await check({ status: 206 })).toBe('federation_signature_invalid');
    expect(await check({ url: `${target}&x=1` })).toBe('federation_signature_invalid');
    expect(await check({ from: 'zj-330000' })).toBe('federation_signature_invalid');
  });
});
